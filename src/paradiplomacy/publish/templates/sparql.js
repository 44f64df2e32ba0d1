// The query UI: YASGUI (vendored from npm) on this server's endpoint, one tab per stored query.
// Autocompletion of classes and properties is off: it would ask a service on the Internet.
//
// Answers are shown for reading: the "labels" view (the default; YASR's own table stays one
// click away) names each IRI by its rdfs:label in the page's language, linked to its page, the
// IRI in the tooltip, and each literal by its value, the datatype or language in the tooltip.
// The labels come from the same endpoint, one query per answer (VALUES of the answer's IRIs,
// in batches below the endpoint's token limit), both languages at once, so that the fa/en
// switch redraws without asking again.
(function () {
  var site = window.PD_SITE;
  var endpoint = new URL("sparql", document.baseURI).href;
  var root = document.documentElement;
  var labels = {};  // IRI -> {en: …, fa: …}; an IRI with no label maps to {}
  var BATCH = 400;  // IRIs per label query: about 1,200 tokens, far below the endpoint's 10,000
  var TEXT = { en: { labels: "Labels", table: "IRIs" }, fa: { labels: "برچسب‌ها", table: "IRIها" } };

  function lang() { return root.lang === "fa" ? "fa" : "en"; }

  // IRIs as SPARQL terms: anything that cannot sit between < and > is left unlabelled
  function safe(iri) { return !/[\s<>"{}|^`\\]/.test(iri); }

  function fetchLabels(iris) {
    var missing = iris.filter(function (i) { return !(i in labels) && safe(i); });
    var batches = [];
    for (var k = 0; k < missing.length; k += BATCH) batches.push(missing.slice(k, k + BATCH));
    return Promise.all(batches.map(function (batch) {
      var query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
        "SELECT ?iri ?label WHERE {\n  VALUES ?iri { " + batch.map(function (i) { return "<" + i + ">"; }).join(" ") +
        " }\n  ?iri rdfs:label ?label .\n  FILTER (LANG(?label) IN (\"en\", \"fa\"))\n}";
      return fetch(endpoint, {
        method: "POST", body: query,
        headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" }
      }).then(function (r) { return r.ok ? r.json() : { results: { bindings: [] } }; })
        .then(function (data) {
          batch.forEach(function (i) { labels[i] = labels[i] || {}; });
          data.results.bindings.forEach(function (b) {
            var l = b.label["xml:lang"], seen = labels[b.iri.value][l];
            // several labels in one language: the smallest in code-point order, as the CLI does
            if (seen === undefined || b.label.value < seen) labels[b.iri.value][l] = b.label.value;
          });
        }, function () { batch.forEach(function (i) { labels[i] = labels[i] || {}; }); });
    }));
  }

  function curie(iri) {
    for (var p in site.prefixes) {
      var ns = site.prefixes[p];
      if (iri.indexOf(ns) === 0 && /^[\w.-]+$/.test(iri.slice(ns.length))) return p + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  function label(iri) {
    var shown = labels[iri] || {}, l = lang();
    return shown[l] || shown[l === "fa" ? "en" : "fa"] || "";
  }

  // the entity's page on this site in the page's language, or the IRI itself
  function href(iri) {
    var fa = lang() === "fa";
    if (iri.indexOf(site.id) === 0 && label(iri)) return iri.slice(site.base.length) + (fa ? ".fa.html" : ".html");
    if (iri.indexOf(site.ontology) === 0) return "ontology" + (fa ? ".fa" : "") + ".html#" + iri.slice(site.ontology.length);
    return iri;
  }

  function el(name, attrs, text) {
    var node = document.createElement(name);
    for (var a in attrs) if (attrs[a] !== undefined && attrs[a] !== null) node.setAttribute(a, attrs[a]);
    node.textContent = text;
    return node;
  }

  function shownText(binding) {
    if (!binding || binding === "") return "";
    return binding.type === "uri" ? (label(binding.value) || curie(binding.value)) : binding.value;
  }

  var Table = Yasgui.Yasr.plugins.table;

  class Labelled extends Table {
    constructor(yasr) {
      super(yasr);
      this.label = TEXT[lang()].labels;
      yasr.plugins.table && (yasr.plugins.table.label = TEXT[lang()].table);
      this.priority = 20;
    }
    draw(config) {
      var results = this.yasr.results, iris = {};
      (results && results.getBindings() || []).forEach(function (row) {
        for (var v in row) if (row[v].type === "uri") iris[row[v].value] = true;
      });
      var self = this;
      return fetchLabels(Object.keys(iris)).then(function () {
        Table.prototype.draw.call(self, config);
        self.yasr.resultsEl.setAttribute("data-lang", lang());
      });
    }
    getColumns() {
      // sorting and the table's search go by what is shown, not by the IRI
      return Table.prototype.getColumns.call(this).map(function (column) {
        var render = column.render;
        if (!column.name) return column;
        column.render = function (data, type, row, meta) {
          if (data !== "" && (type === "filter" || type === "sort")) return shownText(data);
          return render(data, type, row, meta);
        };
        return column;
      });
    }
    getCellContent(binding) {
      var node;
      if (binding.type === "uri") {
        var name = label(binding.value);
        node = el("a", { "class": name ? "entity" : "iri", href: href(binding.value), title: binding.value,
                         "data-iri": binding.value, dir: name ? "auto" : "ltr", lang: name ? lang() : null },
                  name || curie(binding.value));
      } else if (binding.type === "bnode") {
        node = el("span", { "class": "nonIri", dir: "ltr" }, "_:" + binding.value);
      } else {
        var datatype = binding.datatype ? curie(binding.datatype) : null;
        node = el("span", { "class": "nonIri literal", dir: "auto", lang: binding["xml:lang"] || null,
                            title: datatype || (binding["xml:lang"] ? "@" + binding["xml:lang"] : null) }, binding.value);
      }
      var cell = document.createElement("div");
      cell.appendChild(node);
      return cell.outerHTML;  // DataTables takes HTML; every value went in as text, so it is escaped
    }
  }
  Yasgui.Yasr.registerPlugin("labels", Labelled);

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    autoAddOnInit: false,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: ["prefixes", "variables"], persistenceId: null },
    yasr: { pluginOrder: ["labels", "table", "response"], defaultPlugin: "labels", prefixes: site.prefixes, persistenceId: null }
  });
  window.PD_QUERIES.forEach(function (q, i) {
    yasgui.addTab(i === 0, { name: q.id, yasqe: { value: q.text }, requestConfig: { endpoint: endpoint } });
  });

  // the language switch: the page's lang and direction, its text, and the answer's labels
  // the site's header and footer stay in the language the page was written in
  document.querySelectorAll("header.site, footer.site").forEach(function (node) {
    node.setAttribute("lang", root.lang);
    node.setAttribute("dir", root.dir || "ltr");
  });
  function setLanguage(l) {
    root.lang = l;
    root.dir = l === "fa" ? "rtl" : "ltr";
    document.querySelectorAll("[data-only]").forEach(function (node) { node.hidden = node.getAttribute("data-only") !== l; });
    document.querySelectorAll(".langswitch button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.value === l));
    });
    var tab = yasgui.getTab(), yasr = tab && tab.getYasr();
    if (!yasr) return;
    ["labels", "table"].forEach(function (name) {
      if (yasr.plugins[name]) yasr.plugins[name].label = TEXT[l][name];
      yasr.headerEl.querySelectorAll(".select_" + name + " > span").forEach(function (span) {
        span.textContent = TEXT[l][name];
        span.setAttribute("lang", l);
      });
    });
    if (yasr.results) yasr.draw();
  }
  document.querySelectorAll(".langswitch button").forEach(function (b) {
    b.addEventListener("click", function () { setLanguage(b.value); });
  });
  yasgui.on("tabSelect", function () { setTimeout(function () { setLanguage(lang()); }, 0); });
  setLanguage(lang());
  window.PD_YASGUI = yasgui;
})();
