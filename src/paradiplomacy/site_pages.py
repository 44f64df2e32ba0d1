"""The HTML pages of the published site: one per entity and language, the index, the ontology's
documentation and the answers page. Every page links with relative paths, so the site works
from any host or from the file system."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import markdown
from jinja2 import Environment, PackageLoader, StrictUndefined
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from .namespaces import ID, INSTANCE, PD
from .rdfdocs import compact, sort_key
from .sitegraph import SiteGraph, entity_path

# What each page says in each language; the data itself keeps its own language tags.
UI = {
    "en": dict(
        site="Paradiplomacy Knowledge Graph", home="Home", ontology="Ontology", map="Map", charts="Charts",
        answers="Answers", dumps="Downloads", other_language="فارسی", footer="Data and ontology CC BY 4.0",
        version="version", type="Type", formats="This entity as", statements="Statements", property="Property",
        value="Value", source="Source", evidence="Evidence", mentioned_in="Named by these facts", fact="Fact",
        as_="as", entities="Entities", file="File", format="Format", size="Size", bytes="bytes",
        classes="Classes", object_properties="Object properties", datatype_properties="Datatype properties",
        annotation_properties="Annotation properties", term="Term", label_en="Label (en)", label_fa="Label (fa)",
        definition="Definition", domain="Domain", range="Range", parents="Subclass / subproperty of",
        intro="An open knowledge graph of the foreign relations of cities and other sub-national actors, built from five Persian documents. Every relation, event and claim leads back to its source document, its place there and a verbatim quote.",
        description="Dataset description (VoID, DCAT)", query_ui="Query the graph (SPARQL)",
        ontology_intro="Classes and properties of the Paradiplomacy Ontology, with their Persian and English labels, definitions, domains and ranges.",
    ),
    "fa": dict(
        site="گراف دانش پارادیپلماسی", home="خانه", ontology="هستان‌شناسی", map="نقشه", charts="نمودارها",
        answers="پاسخ‌ها", dumps="بارگیری", other_language="English", footer="داده و هستان‌شناسی با پروانه CC BY 4.0",
        version="نسخه", type="نوع", formats="این موجودیت در قالب", statements="گزاره‌ها", property="ویژگی",
        value="مقدار", source="منبع", evidence="شواهد", mentioned_in="واقعیت‌هایی که از آن نام می‌برند", fact="واقعیت",
        as_="به عنوان", entities="موجودیت‌ها", file="پرونده", format="قالب", size="حجم", bytes="بایت",
        classes="رده‌ها", object_properties="ویژگی‌های شیئی", datatype_properties="ویژگی‌های داده‌ای",
        annotation_properties="ویژگی‌های حاشیه‌نویسی", term="اصطلاح", label_en="برچسب انگلیسی", label_fa="برچسب فارسی",
        definition="تعریف", domain="دامنه", range="برد", parents="زیررده / زیرویژگیِ",
        intro="گرافی باز از روابط خارجی شهرها و دیگر بازیگران زیرملی، ساخته‌شده از پنج سند فارسی. هر رابطه، رویداد و ادعا به سند منبع، جای آن در سند و نقل‌قول عینی آن بازمی‌گردد.",
        description="توصیف مجموعه داده (VoID، DCAT)", query_ui="پرس‌وجو از گراف (SPARQL)",
        ontology_intro="رده‌ها و ویژگی‌های هستان‌شناسی پارادیپلماسی با برچسب‌های فارسی و انگلیسی، تعریف، دامنه و برد.",
    ),
}
for strings in UI.values():
    strings["as"] = strings.pop("as_")

KIND_NAMES = {
    "body": ("Organizations", "سازمان‌ها"), "city": ("Cities", "شهرها"), "claim": ("Claims and figures", "ادعاها و ارقام"),
    "concept": ("Concepts", "مفاهیم"), "country": ("Countries", "کشورها"), "doc": ("Source documents", "اسناد منبع"),
    "event": ("Events", "رویدادها"), "ev": ("Evidence", "شواهد"), "fact": ("Facts", "واقعیت‌ها"),
    "mem": ("Memberships and offices", "عضویت‌ها و مناصب"), "person": ("People", "اشخاص"),
    "rel": ("Sister-city agreements and MoUs", "خواهرخواندگی‌ها و تفاهم‌نامه‌ها"),
}
RDF_FORMATS = ((".ttl", "Turtle", "text/turtle"), (".jsonld", "JSON-LD", "application/ld+json"), (".nt", "N-Triples", "application/n-triples"))

Writer = Callable[[str, str], Path]  # (site-relative path, text) -> written file


def environment() -> Environment:
    return Environment(loader=PackageLoader("paradiplomacy", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def root_of(path: str) -> str:
    """The relative path from a page back to the site's root (``id/city/x.html`` -> ``../../``)."""
    return "../" * path.count("/")


def lang_page(path: str, lang: str) -> str:
    """``x.html`` is the English page, ``x.fa.html`` the Persian one."""
    return path if lang == "en" else path[: -len(".html")] + ".fa.html"


class Pages:
    def __init__(self, site: SiteGraph, write: Writer, version: str) -> None:
        self.site, self.write, self.version = site, write, version
        self.env = environment()

    def render(self, template: str, path: str, lang: str, title: str, **context) -> Path:
        other = lang_page(path.replace(".fa.html", ".html"), "fa" if lang == "en" else "en") if context.pop("bilingual", True) else None
        page = self.env.get_template(template).render(
            lang=lang, t=UI[lang], title=title, root=root_of(path), version=self.version,
            other_href=other.rsplit("/", 1)[-1] if other else None, alternates=context.pop("alternates", []), **context)
        return self.write(path, page)

    # --- values ------------------------------------------------------------------------------
    def value(self, term, path: str, lang: str) -> dict:
        suffix = ".fa.html" if lang == "fa" else ".html"
        if isinstance(term, Literal):
            datatype = term.datatype if term.datatype and term.datatype != XSD.string else None
            return dict(text=str(term), href=None, external=None, lang=term.language,
                        tag=term.language, datatype=compact(str(datatype)) if datatype else None)
        if isinstance(term, BNode):
            return dict(text=f"_:{term}", href=None, external=None, lang=None, tag=None, datatype=None)
        href = self.site.href(term, path, suffix)
        if href:
            return dict(text=self.site.label(term, lang), href=href, external=None, lang=self.site.label_lang(term, lang), tag=None, datatype=None)
        return dict(text=compact(str(term)) or str(term), href=None, external=str(term), lang=None, tag=None, datatype=None)

    def evidence_item(self, ev, path: str, lang: str, n: int | None = None) -> dict:
        quote = self.site.value(ev, PD.quote)
        doc = self.site.value(ev, PD.sourceDocument)
        return dict(n=n, href=self.site.href(ev, path, ".fa.html" if lang == "fa" else ".html"),
                    doc=self.value(doc, path, lang) if doc is not None else dict(text="?", href=None, external=None, lang=None, tag=None, datatype=None),
                    locator=str(self.site.value(ev, PD.locator) or ""),
                    quote=str(quote) if quote is not None else "", quote_lang=(quote.language if isinstance(quote, Literal) else None) or "fa")

    # --- entity pages -----------------------------------------------------------------------------
    def entity(self, iri: URIRef, lang: str) -> Path:
        base = entity_path(str(iri))
        path = base + (".fa.html" if lang == "fa" else ".html")
        site = self.site
        evidence = sorted(site.evidence(iri), key=sort_key)
        numbers = {ev: n for n, ev in enumerate(dict.fromkeys(evidence), start=1)}
        statements = []
        for st in site.out[iri]:
            refs = sorted(numbers[ev] for ev in site.evidence(iri, st.graph))
            statements.append(dict(property=self.value(st.predicate, path, lang), value=self.value(st.object, path, lang),
                                   refs=refs, source_file=st.source_file))
        incoming: dict = {}
        for st in site.inc.get(iri, ()):
            entry = incoming.setdefault(st.subject, dict(fact=self.value(st.subject, path, lang), properties=[], files=set()))
            prop = self.value(st.predicate, path, lang)
            if prop not in entry["properties"]:
                entry["properties"].append(prop)
            entry["files"].add(st.source_file)
        rows = []
        for subject, entry in incoming.items():
            sources = [subject] if site.is_evidence(subject) else sorted(site.evidence(subject), key=sort_key)
            rows.append(dict(fact=entry["fact"], properties=entry["properties"], source_files=sorted(entry["files"]),
                             evidence=[self.evidence_item(ev, path, lang) for ev in dict.fromkeys(sources)]))
        name = base.rsplit("/", 1)[-1]
        formats = [dict(href=name + ext, name=label, type=mime) for ext, label, mime in RDF_FORMATS]
        e = dict(iri=str(iri), curie=compact(str(iri)), label=site.label(iri, lang), label_lang=site.label_lang(iri, lang),
                 types=[self.value(t, path, lang) for t in site.types(iri)], formats=formats, statements=statements,
                 evidence=[self.evidence_item(ev, path, lang, n) for ev, n in numbers.items()], incoming=rows)
        return self.render("entity.html", path, lang, site.label(iri, lang), e=e,
                           alternates=[dict(type=mime, href=name + ext) for ext, _, mime in RDF_FORMATS])

    # --- index -------------------------------------------------------------------------------------
    def index(self, lang: str, dumps: list[dict]) -> Path:
        path = "index.html" if lang == "en" else "index.fa.html"
        suffix = ".fa.html" if lang == "fa" else ".html"
        kinds = []
        for kind in INSTANCE:
            members = [e for e in self.site.entities if str(e).startswith(str(INSTANCE[kind]))]
            if members:
                items = sorted((dict(href=entity_path(str(e)) + suffix, text=self.site.label(e, lang),
                                     lang=self.site.label_lang(e, lang)) for e in members), key=lambda i: (i["text"], i["href"]))
                kinds.append(dict(id=kind, name=KIND_NAMES[kind][0 if lang == "en" else 1], members=items))
        return self.render("index.html", path, lang, UI[lang]["site"], kinds=kinds, dumps=dumps,
                           count=len(self.site.entities))

    # --- ontology ----------------------------------------------------------------------------------
    def ontology(self, ontology: Graph, lang: str) -> Path:
        path = "ontology.html" if lang == "en" else "ontology.fa.html"
        sections = []
        for key, cls in (("classes", OWL.Class), ("object_properties", OWL.ObjectProperty),
                         ("datatype_properties", OWL.DatatypeProperty), ("annotation_properties", OWL.AnnotationProperty)):
            terms = sorted((t for t in ontology.subjects(RDF.type, cls) if isinstance(t, URIRef)), key=lambda t: (not str(t).startswith(str(PD)), str(t)))
            rows = [self.term_row(ontology, t, path, lang) for t in terms]
            if rows:
                sections.append(dict(title=UI[lang][key], rows=rows))
        return self.render("ontology.html", path, lang, UI[lang]["ontology"], sections=sections,
                           alternates=[dict(type="text/turtle", href="ontology.ttl"), dict(type="application/rdf+xml", href="ontology.rdf")])

    def term_row(self, g: Graph, term: URIRef, path: str, lang: str) -> dict:
        def labels(predicate, language):
            return " / ".join(sorted(str(o) for o in g.objects(term, predicate) if isinstance(o, Literal) and o.language == language))

        def terms(predicate) -> list[dict]:
            return [v for o in sorted(g.objects(term, predicate), key=sort_key) for v in self.class_expression(g, o, path, lang)]

        definitions = sorted((o for p in (SKOS.definition, RDFS.comment) for o in g.objects(term, p) if isinstance(o, Literal)), key=sort_key)
        local = str(term).split("#", 1)[1] if str(term).startswith(str(PD)) else None
        return dict(anchor=local, curie=compact(str(term)) or str(term), iri=str(term), label_en=labels(RDFS.label, "en"),
                    label_fa=labels(RDFS.label, "fa"), definitions=[dict(text=str(d), lang=d.language or "en") for d in definitions],
                    parents=terms(RDFS.subClassOf) + terms(RDFS.subPropertyOf), domain=terms(RDFS.domain), range=terms(RDFS.range),
                    deprecated=(term, OWL.deprecated, Literal(True)) in g)

    def class_expression(self, g: Graph, node, path: str, lang: str) -> list[dict]:
        """A named class as a link; a union or intersection as its members; restrictions are left out."""
        if isinstance(node, URIRef):
            href = self.site.href(node, path, ".fa.html" if lang == "fa" else ".html")
            return [dict(text=compact(str(node)) or str(node), href=href, external=None if href else str(node), lang=None, tag=None, datatype=None)]
        for op in (OWL.unionOf, OWL.intersectionOf):
            head = g.value(node, op)
            if head is not None:
                return [v for member in Collection(g, head) for v in self.class_expression(g, member, path, lang)]
        return []

    # --- answers -----------------------------------------------------------------------------------
    def answers(self, answers_markdown: str) -> Path:
        body = markdown.markdown(answers_markdown, extensions=["tables"], output_format="html")
        body = link_iris(body, "answers.html")
        return self.render("answers.html", "answers.html", "en", "Answers of the stored queries", body=body, bilingual=False)


_IRI_TEXT = re.compile(r"(?<![\"'=/])(" + re.escape(str(ID)) + r"[A-Za-z0-9_./-]*[A-Za-z0-9_-])")


def link_iris(html: str, from_path: str) -> str:
    """Turn the entity IRIs printed in table cells into links to their pages, shown as CURIEs."""
    def link(match: re.Match) -> str:
        iri = match.group(1)
        return f'<a href="{root_of(from_path)}{entity_path(iri)}.html">{compact(iri) or iri}</a>'
    return _IRI_TEXT.sub(link, html)
