"""The HTML pages of the published site: one per entity and language, the index, the ontology's
documentation, the answers page and the map, each in Persian and English. Every page links with
relative paths, so the site works from any host or from the file system.

Every value is written through Jinja's autoescape (the one place text from the graph or from an
answer becomes HTML), and every run of text that may hold the other script sits in an element
with ``dir`` (``dir="auto"`` for data, whose direction is not known in advance), so a Persian
label on an English page, or a Latin name in a Persian quote, keeps its reading order."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from paradiplomacy.formats import rdf_formats
from paradiplomacy.namespaces import GEO, INSTANCE, ORG, PD, SCHEMA
from paradiplomacy.publish.sitegraph import SiteGraph, entity_path, graph_document
from paradiplomacy.rdf.serialize import compact, sort_key

# What each page says in each language; the data itself keeps its own language tags.
UI = {
    "en": dict(
        site="Paradiplomacy Knowledge Graph", home="Home", ontology="Ontology", map="Map", charts="Charts",
        answers="Answers", dumps="Downloads", other_language="فارسی", footer="Data and ontology under",
        version="version", type="Type", formats="This entity as", statements="Statements", property="Property",
        value="Value", source="Source", evidence="Evidence", mentioned_in="Named by these facts", fact="Fact",
        as_="as", entities="Entities", file="File", format="Format", size="Size", bytes="bytes",
        classes="Classes", object_properties="Object properties", datatype_properties="Datatype properties",
        annotation_properties="Annotation properties", term="Term", label_en="Label (en)", label_fa="Label (fa)",
        definition="Definition", domain="Domain", range="Range", parents="Subclass / subproperty of",
        intro="An open knowledge graph of the foreign relations of cities and other sub-national actors, built from five Persian documents. Every "
              "relation, event and claim leads back to its source document, its place there and a verbatim quote.",
        description="Dataset description (VoID, DCAT)", query_ui="Query the graph (SPARQL)",
        ontology_intro="Classes and properties of the Paradiplomacy Ontology, with their Persian and English labels, definitions, domains and "
                       "ranges.",
        answers_title="Answers of the stored queries", contents="Contents", rows="rows", sources="Sources",
        answers_intro="Every competency question, its current answer on the built graph, whether it equals the answer written by hand from the "
                      "documents, and the passages each row rests on. Entities are shown by their English labels and link to their pages.",
        matches="matches the expected answer", differs="DIFFERS from the expected answer", no_expected="no expected answer",
        run_with="Run with", question="Question", see_source="see the source above", no_source="no evidence of its own",
        map_title="Sister cities and MoUs on the map", kind="Kind", sister_city="sister-city agreements", mou="cooperation MoUs",
        years="Years", from_="from", to="to", undated="links without a year", shown="links shown",
        map_note="Every line is a sister-city agreement (blue) or a cooperation MoU (orange) of the graph, drawn between the coordinates of its two "
                 "cities, on the country outlines of Natural Earth (world-atlas, 1:110 million). Iranian cities are green and always named; the "
                 "partner cities are named from zoom level 3.",
        not_drawn="Not drawn, for want of coordinates of a party", links_between="links between", cities="cities",
    ),
    "fa": dict(
        site="گراف دانش پارادیپلماسی", home="خانه", ontology="هستان‌شناسی", map="نقشه", charts="نمودارها",
        answers="پاسخ‌ها", dumps="بارگیری", other_language="English", footer="داده و هستان‌شناسی با پروانهٔ",
        version="نسخه", type="نوع", formats="این موجودیت در قالب", statements="گزاره‌ها", property="ویژگی",
        value="مقدار", source="منبع", evidence="شواهد", mentioned_in="واقعیت‌هایی که از آن نام می‌برند", fact="واقعیت",
        as_="به عنوان", entities="موجودیت‌ها", file="پرونده", format="قالب", size="حجم", bytes="بایت",
        classes="رده‌ها", object_properties="ویژگی‌های شیئی", datatype_properties="ویژگی‌های داده‌ای",
        annotation_properties="ویژگی‌های حاشیه‌نویسی", term="اصطلاح", label_en="برچسب انگلیسی", label_fa="برچسب فارسی",
        definition="تعریف", domain="دامنه", range="برد", parents="زیررده / زیرویژگیِ",
        intro="گرافی باز از روابط خارجی شهرها و دیگر بازیگران زیرملی، ساخته‌شده از پنج سند فارسی. هر رابطه، رویداد و ادعا به سند منبع، جای آن در "
              "سند و نقل‌قول عینی آن بازمی‌گردد.",
        description="توصیف مجموعه داده (VoID، DCAT)", query_ui="پرس‌وجو از گراف (SPARQL)",
        ontology_intro="رده‌ها و ویژگی‌های هستان‌شناسی پارادیپلماسی با برچسب‌های فارسی و انگلیسی، تعریف، دامنه و برد.",
        answers_title="پاسخ پرسش‌های ذخیره‌شده", contents="فهرست", rows="سطر", sources="منابع",
        answers_intro="هر پرسش شایستگی، پاسخ کنونی آن بر گراف ساخته‌شده، برابری آن با پاسخی که از روی اسناد با دست نوشته شده، و بندهایی که هر سطر "
                      "بر آن‌ها استوار است. موجودیت‌ها با برچسب فارسی‌شان آمده‌اند و به صفحهٔ خود پیوند دارند.",
        matches="با پاسخ مورد انتظار برابر است", differs="با پاسخ مورد انتظار فرق دارد", no_expected="پاسخ مورد انتظاری ندارد",
        run_with="با مقادیر", question="پرسش", see_source="منبع بالا را ببینید", no_source="شاهدی از خود ندارد",
        map_title="خواهرخواندگی‌ها و تفاهم‌نامه‌ها روی نقشه", kind="نوع", sister_city="خواهرخواندگی‌ها", mou="تفاهم‌نامه‌های همکاری",
        years="سال‌ها", from_="از", to="تا", undated="پیوندهای بی‌سال", shown="پیوند نمایش داده شده",
        map_note="هر خط یک خواهرخواندگی (آبی) یا تفاهم‌نامهٔ همکاری (نارنجی) در گراف است که میان مختصات دو شهر، روی مرز کشورها از داده‌های Natural "
                 "Earth (world-atlas، مقیاس ۱:۱۱۰ میلیون) کشیده شده است. شهرهای ایران سبزند و همیشه نام دارند؛ نام شهرهای طرف از بزرگ‌نمایی ۳ به "
                 "بعد دیده می‌شود.",
        not_drawn="رسم‌نشده، چون مختصات یکی از دو طرف در دست نیست", links_between="پیوند میان", cities="شهر",
    ),
}
for strings in UI.values():
    strings["as"] = strings.pop("as_")
    strings["from"] = strings.pop("from_")

# The terms of other vocabularies the pages show as properties or values: their names in the
# page's language instead of a CURIE (the project's own terms take their labels from the ontology).
TERM_LABELS = {
    RDF.type: ("type", "نوع"), RDFS.label: ("label", "برچسب"), RDFS.comment: ("comment", "توضیح"),
    RDFS.seeAlso: ("see also", "نیز ببینید"), SKOS.prefLabel: ("preferred label", "برچسب اصلی"),
    SKOS.altLabel: ("other label", "برچسب دیگر"), SKOS.definition: ("definition", "تعریف"),
    SKOS.editorialNote: ("editorial note", "یادداشت ویراستار"), SKOS.inScheme: ("in scheme", "در طرح"),
    SKOS.topConceptOf: ("top concept of", "مفهوم رأس"), SKOS.broader: ("broader", "مفهوم بالاتر"),
    SKOS.narrower: ("narrower", "مفهوم پایین‌تر"), SKOS.ConceptScheme: ("concept scheme", "طرح مفاهیم"),
    SKOS.Concept: ("concept", "مفهوم"), OWL.sameAs: ("same as", "همان"), DCTERMS.title: ("title", "عنوان"),
    DCTERMS.creator: ("creator", "پدیدآورنده"), DCTERMS.language: ("language", "زبان"), DCTERMS.date: ("date", "تاریخ"),
    PROV.generated: ("generated", "پدید آورد"), ORG.member: ("member", "عضو"), ORG.organization: ("organization", "سازمان"),
    ORG.role: ("role", "نقش"), ORG.Membership: ("membership", "عضویت"), SCHEMA.startDate: ("start date", "تاریخ آغاز"),
    SCHEMA.endDate: ("end date", "تاریخ پایان"), GEO.hasGeometry: ("geometry", "هندسه"), GEO.asWKT: ("WKT", "WKT"),
    TIME.unitDay: ("day", "روز"), TIME.unitMonth: ("month", "ماه"), TIME.unitYear: ("year", "سال"),
}

# Entity pages read from the top: what it is called, what it is, who takes part, when; then the rest.
_PARTIES = (PD.iranianParty, PD.partnerParty, PD.party, PD.participant, PD.traveller, PD.claimant, ORG.member,
            ORG.organization, ORG.role)
_DATES = (PD.year, SCHEMA.startDate, SCHEMA.endDate, PD.solarHijriDate, PD.dateAsWritten, PD.datePrecision,
          PD.foundingYear, PD.dateNote)
READING_ORDER = {p: i for i, p in enumerate((RDFS.label, SKOS.prefLabel, SKOS.altLabel, RDF.type, *_PARTIES, *_DATES))}
LAST = (PD.evidence, OWL.sameAs, GEO.hasGeometry)
_QUOTE, _DOCUMENT, _LOCATOR = PD.quote, PD.sourceDocument, PD.locator  # hot: an rdflib Namespace attribute is a call


def reading_rank(predicate) -> int:
    if predicate in READING_ORDER:
        return READING_ORDER[predicate]
    return len(READING_ORDER) + 1 + (LAST.index(predicate) if predicate in LAST else -1)

KIND_NAMES = {
    "body": ("Organizations", "سازمان‌ها"), "city": ("Cities", "شهرها"), "claim": ("Claims and figures", "ادعاها و ارقام"),
    "concept": ("Concepts", "مفاهیم"), "country": ("Countries", "کشورها"), "doc": ("Source documents", "اسناد منبع"),
    "event": ("Events", "رویدادها"), "ev": ("Evidence", "شواهد"), "fact": ("Facts", "واقعیت‌ها"),
    "mem": ("Memberships and offices", "عضویت‌ها و مناصب"), "person": ("People", "اشخاص"),
    "rel": ("Sister-city agreements and MoUs", "خواهرخواندگی‌ها و تفاهم‌نامه‌ها"),
}
RDF_FORMATS = tuple((f.suffix, f.label, f.media_type) for f in rdf_formats("ttl", "jsonld", "nt"))  # an entity's documents

Writer = Callable[[str, str], Path]  # (site-relative path, text) -> written file
_compact = lru_cache(maxsize=1 << 18)(compact)  # the same IRIs are shown on page after page


_ARABIC = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
# a run of the other script inside a text: Latin words (with the digits, dots and dashes between
# them) in a Persian text, Persian words (with their half-spaces) in an English one
_FOREIGN = {
    "fa": re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[ .:/\-–]+[A-Za-z0-9]+)*\.?"),
    "en": re.compile(f"[{_ARABIC}]+(?:[\\s\u200c]+[{_ARABIC}]+)*"),
}


def isolate(text: str, lang: str) -> Markup:
    """``text`` escaped, each run of the other script in a ``<bdi>`` with its direction and
    language, so that a Persian sentence naming "SPARQL" keeps its brackets where they belong."""
    out, last = [], 0
    other = "en" if lang == "fa" else "fa"
    direction = "ltr" if other == "en" else "rtl"
    for match in _FOREIGN[lang].finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<bdi dir="{}" lang="{}">{}</bdi>').format(direction, other, match.group()))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def environment() -> Environment:
    env = Environment(loader=PackageLoader("paradiplomacy.publish", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["isolate"] = isolate
    return env


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
        # the page's own words, with any run of the other script isolated
        self.ui = {lang: {k: isolate(v, lang) for k, v in strings.items()} for lang, strings in UI.items()}

    def for_site(self, site: SiteGraph) -> Pages:
        """These pages (their compiled templates) over another SiteGraph: one per page rendered
        on demand (publish/ondemand.py), where compiling the templates again would cost more than the page."""
        other = copy.copy(self)
        other.site = site
        return other

    def render(self, template: str, path: str, lang: str, title: str, **context) -> Path:
        return self.write(path, self.render_text(template, path, lang, title, **context))

    def render_text(self, template: str, path: str, lang: str, title: str, **context) -> str:
        other = lang_page(path.replace(".fa.html", ".html"), "fa" if lang == "en" else "en") if context.pop("bilingual", True) else None
        return self.env.get_template(template).render(
            lang=lang, t=self.ui[lang], title=title, root=root_of(path), version=self.version,
            other_href=other.rsplit("/", 1)[-1] if other else None, alternates=context.pop("alternates", []), **context)

    # --- values ------------------------------------------------------------------------------
    def value(self, term, path: str, lang: str) -> dict:
        """A term as the pages show it: an entity or ontology term by its label, linked to its
        page; another vocabulary's term by its name; a literal as its plain value (its datatype
        only in the tooltip); the CURIE or IRI stays in the title."""
        suffix = ".fa.html" if lang == "fa" else ".html"
        if isinstance(term, Literal):
            datatype = term.datatype if term.datatype and term.datatype != XSD.string else None
            return dict(text=str(term), href=None, external=None, lang=term.language,
                        title=_compact(str(datatype)) if datatype else None)
        if isinstance(term, BNode):
            return dict(text=f"_:{term}", href=None, external=None, lang=None, title=None)
        curie = _compact(str(term)) or str(term)
        href = self.site.href(term, path, suffix)
        if href:
            return dict(text=self.site.label(term, lang), href=href, external=None, lang=self.site.label_lang(term, lang), title=curie)
        if term in TERM_LABELS:
            return dict(text=TERM_LABELS[term][0 if lang == "en" else 1], href=None, external=str(term), lang=lang, title=curie)
        return dict(text=curie, href=None, external=str(term), lang=None, title=str(term))

    def cell(self, text: str, path: str, lang: str) -> dict:
        """A cell of a stored query's answer (plain text: an IRI, or a literal's value)."""
        if text.startswith(("http://", "https://")):
            return self.value(URIRef(text), path, lang)
        return dict(text=text, href=None, external=None, lang=None, title=None)

    def evidence_item(self, ev, path: str, lang: str, n: int | None = None) -> dict:
        quote = self.site.value(ev, _QUOTE)
        doc = self.site.value(ev, _DOCUMENT)
        return dict(n=n, href=self.site.href(ev, path, ".fa.html" if lang == "fa" else ".html"),
                    doc=self.value(doc, path, lang) if doc is not None else dict(text="?", href=None, external=None, lang=None, title=None),
                    locator=str(self.site.value(ev, _LOCATOR) or ""),
                    quote=str(quote) if quote is not None else "", quote_lang=(quote.language if isinstance(quote, Literal) else None) or "fa")

    # --- entity pages -----------------------------------------------------------------------------
    def entity(self, iri: URIRef, lang: str) -> Path:
        path, title, context = self.entity_context(iri, lang)
        return self.render("entity.html", path, lang, title, **context)

    def entity_context(self, iri: URIRef, lang: str) -> tuple[str, str, dict]:
        """The page's path, title and template context: all the page depends on besides the
        templates, the UI strings and the version (publish/site.py keys its page cache on it)."""
        base = entity_path(str(iri))
        path = base + (".fa.html" if lang == "fa" else ".html")
        site = self.site
        evidence = sorted(site.evidence(iri), key=sort_key)
        numbers = {ev: n for n, ev in enumerate(dict.fromkeys(evidence), start=1)}
        statements = []
        # the label in the page's language first, then the reading order; stable within a rank
        ordered = sorted(site.out[iri], key=lambda st: (reading_rank(st.predicate), getattr(st.object, "language", None) != lang))
        for st in ordered:
            refs = sorted(numbers[ev] for ev in site.evidence(iri, st.graph))
            document = graph_document(st.graph)
            statements.append(dict(property=self.value(st.predicate, path, lang), value=self.value(st.object, path, lang),
                                   refs=refs, document=self.value(document, path, lang) if document is not None and not refs else None))
        incoming: dict = {}
        for st in site.inc.get(iri, ()):
            entry = incoming.setdefault(st.subject, dict(fact=self.value(st.subject, path, lang), properties=[], documents={}))
            prop = self.value(st.predicate, path, lang)
            if prop not in entry["properties"]:
                entry["properties"].append(prop)
            document = graph_document(st.graph)
            if document is not None:
                entry["documents"][document] = self.value(document, path, lang)
        rows = []
        for subject, entry in incoming.items():
            sources = [subject] if site.is_evidence(subject) else sorted(site.evidence(subject), key=sort_key)
            rows.append(dict(fact=entry["fact"], properties=entry["properties"],
                             documents=[entry["documents"][d] for d in sorted(entry["documents"], key=str)],
                             evidence=[self.evidence_item(ev, path, lang) for ev in dict.fromkeys(sources)]))
        name = base.rsplit("/", 1)[-1]
        formats = [dict(href=name + ext, name=label, type=mime) for ext, label, mime in RDF_FORMATS]
        other = "en" if lang == "fa" else "fa"
        other_label = site.label(iri, other)
        e = dict(iri=str(iri), curie=_compact(str(iri)), label=site.label(iri, lang), label_lang=site.label_lang(iri, lang),
                 other_label=other_label if other_label != site.label(iri, lang) else None, other_lang=site.label_lang(iri, other),
                 types=[self.value(t, path, lang) for t in site.types(iri)], formats=formats, statements=statements,
                 evidence=[self.evidence_item(ev, path, lang, n) for ev, n in numbers.items()], incoming=rows)
        return path, site.label(iri, lang), dict(e=e, alternates=[dict(type=mime, href=name + ext) for ext, _, mime in RDF_FORMATS])

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
            terms = sorted((t for t in ontology.subjects(RDF.type, cls) if isinstance(t, URIRef)),
                           key=lambda t: (not str(t).startswith(str(PD)), str(t)))
            rows = [self.term_row(ontology, t, path, lang) for t in terms]
            if rows:
                sections.append(dict(title=UI[lang][key], rows=rows))
        return self.render("ontology.html", path, lang, UI[lang]["ontology"], sections=sections,
                           alternates=[dict(type=f.media_type, href="ontology" + f.suffix) for f in rdf_formats("ttl", "rdf")])

    def term_row(self, g: Graph, term: URIRef, path: str, lang: str) -> dict:
        def labels(predicate, language):
            return " / ".join(sorted(str(o) for o in g.objects(term, predicate) if isinstance(o, Literal) and o.language == language))

        def terms(predicate) -> list[dict]:
            return [v for o in sorted(g.objects(term, predicate), key=sort_key) for v in self.class_expression(g, o, path, lang)]

        definitions = sorted((o for p in (SKOS.definition, RDFS.comment) for o in g.objects(term, p) if isinstance(o, Literal)), key=sort_key)
        local = str(term).split("#", 1)[1] if str(term).startswith(str(PD)) else None
        return dict(anchor=local, curie=_compact(str(term)) or str(term), iri=str(term), label_en=labels(RDFS.label, "en"),
                    label_fa=labels(RDFS.label, "fa"), definitions=[dict(text=str(d), lang=d.language or "en") for d in definitions],
                    parents=terms(RDFS.subClassOf) + terms(RDFS.subPropertyOf), domain=terms(RDFS.domain), range=terms(RDFS.range),
                    deprecated=(term, OWL.deprecated, Literal(True)) in g)

    def class_expression(self, g: Graph, node, path: str, lang: str) -> list[dict]:
        """A named class as a link; a union or intersection as its members; restrictions are left out."""
        if isinstance(node, URIRef):
            href = self.site.href(node, path, ".fa.html" if lang == "fa" else ".html")
            text = self.site.label(node, lang) if href else _compact(str(node)) or str(node)
            return [dict(text=text, href=href, external=None if href else str(node), lang=self.site.label_lang(node, lang) if href else None,
                         title=_compact(str(node)) or str(node))]
        for op in (OWL.unionOf, OWL.intersectionOf):
            head = g.value(node, op)
            if head is not None:
                return [v for member in Collection(g, head) for v in self.class_expression(g, member, path, lang)]
        return []

    # --- answers -----------------------------------------------------------------------------------
    def answers(self, answers: Sequence, sources: Sequence[Sequence[Sequence[tuple[str, str]]]], lang: str) -> Path:
        """The answers of the stored queries (build.Answer), each row with the passages it rests on
        (``sources``: per answer, per row, (document id, locator) as build.passages gives them),
        through the template answers.html: from the same objects as build/answers.md (build.render_answers,
        templates/answers.md.jinja), never from that Markdown."""
        path = "answers.html" if lang == "en" else "answers.fa.html"
        other = "en" if lang == "fa" else "fa"
        sections = []
        for answer, row_sources in zip(answers, sources, strict=True):
            h = answer.query.header
            status = "matches" if answer.matches else "differs" if answer.expected is not None else "no_expected"
            rows = []
            for row, passages in zip(answer.result.rows, row_sources, strict=True):
                # the document by its short id (its title, often a line long, in the tooltip)
                cited = [dict(doc={**self.value(INSTANCE["doc"][doc], path, lang), "text": doc, "lang": None,
                                   "title": self.site.label(INSTANCE["doc"][doc], lang)}, locator=locator) for doc, locator in passages]
                rows.append(dict(cells=[self.cell(c, path, lang) for c in row], sources=cited))
            bound = [dict(name=name, value=self.value(term, path, lang)) for name, term in sorted(answer.query.bindings().items())]
            sections.append(dict(
                id=answer.query.id, anchor="q" + answer.query.id.split("-", 1)[0],
                title=h.get(f"title.{lang}") or answer.query.title, other_title=h.get(f"title.{other}"), other_lang=other,
                question=h.get(f"question.{lang}") or h.get("question.en"), source=h.get("source"),
                status=status, variables=answer.result.variables, rows=rows, bound=bound))
        return self.render("answers.html", path, lang, UI[lang]["answers_title"], sections=sections)
