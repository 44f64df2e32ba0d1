// The query UI: YASGUI (vendored from npm) on this server's endpoint, one tab per stored query.
// Autocompletion of classes and properties is off: it would ask a service on the Internet.
(function () {
  var endpoint = new URL("sparql", document.baseURI).href;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    autoAddOnInit: false,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: ["prefixes", "variables"], persistenceId: null }
  });
  window.PD_QUERIES.forEach(function (q, i) {
    yasgui.addTab(i === 0, { name: q.id, yasqe: { value: q.text }, requestConfig: { endpoint: endpoint } });
  });
  window.PD_YASGUI = yasgui;
})();
