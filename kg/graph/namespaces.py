"""Python names for the kg ontology and the prefixes kg binds.

GENERATED from ontology/kg.ttl by tools/gen_namespace.py: do not edit by hand;
edit the ontology and run ``python tools/gen_namespace.py``.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class KG(DefinedNamespace):
    """The kg ontology (ontology/kg.ttl): terms no standard vocabulary has."""

    _fail = True
    _NS = Namespace("https://example.org/kg/ontology#")

    FigureStructure: URIRef  # Structure of kg:Figures: where (refArea), when (refPeriod), what (kg:metric), the value, its unit and how it was stated.
    Figures: URIRef  # The data set of every statistic kg read from the pages.
    Program: URIRef  # A named government program, insurance scheme, policy document, campaign or project (基本医疗保险, 《…实施方案》, “一网通办”); kg:kind says which.
    Sentence: URIRef  # One sentence (or the headline) of an article, with its text as rdf:value and its character offsets in the cleaned page text; the source that statements and observations are derived from.
    Units: URIRef  # The units of measure statistics are stated in (人, 元, %, 个 …), one skos:Concept each, named by the unit as printed; 1 stands for a pure number.
    administers: URIRef  # An agency runs, issues or is responsible for a program (甘肃省医疗保障局 administers 基本医疗保险).
    approximation: URIRef  # The words that make the number approximate or a bound (余, 以上, 近).
    change: URIRef  # increase or decrease when the number is a change rather than a level.
    cooperatesWith: URIRef  # Two agencies or regions work together as the text states (an agreement signed, a joint mechanism); symmetric.
    divisionCode: URIRef  # The six-digit GB/T 2260 administrative division code of a Chinese region (620000 for 甘肃省), as Wikidata P442.
    divisionLevel: URIRef  # The level of a region: country, province, prefecture, county, township, village or other.
    endOffset: URIRef  # Character offset just after the end of a sentence, an article or the words a statement was read from, in the cleaned text of the page.
    kind: URIRef  # The kind of an agency (government, party, legislature, cppcc, court_procuratorate, union_mass_org, public_institution, enterprise, media, other), of a program (insurance, policy_document, campaign_or_initiative, project, other) or of an article (article, caption, continuation).
    metric: URIRef  # What a statistic measures, as the text names it (基本医疗保险参保人数, 参保率).
    periodEnd: URIRef  # Last day of the stretch a statistic covers (xsd:date, or xsd:gMonthDay when the text does not give the year).
    periodStart: URIRef  # First day of the stretch a statistic covers (xsd:date, or xsd:gMonthDay when the text does not give the year).
    periodText: URIRef  # The time expression a statistic is stated for, as printed (截至今年3月底, 前三季度); sdmx-dimension:refPeriod holds it resolved when the year is known.
    qualifier: URIRef  # The word that introduces the number (达, 超, 同比增长, 月均).
    startOffset: URIRef  # Character offset (0-based) where a sentence, an article or the words a statement was read from begin in the cleaned text of the page.
    value: URIRef  # The value of a statistic, normalised: 万 and 亿 folded in, money in yuan, a percentage as printed (99.12 for 99.12%), a rank as its number.


#: Prefixes declared in kg.ttl, bound on every graph kg writes.
PREFIXES: dict[str, str] = {
    "kg": "https://example.org/kg/ontology#",
    "kgid": "https://example.org/kg/id/",
    "region": "https://example.org/kg/id/region/",
    "agency": "https://example.org/kg/id/agency/",
    "person": "https://example.org/kg/id/person/",
    "program": "https://example.org/kg/id/program/",
    "post": "https://example.org/kg/id/post/",
    "role": "https://example.org/kg/id/role/",
    "membership": "https://example.org/kg/id/membership/",
    "event": "https://example.org/kg/id/event/",
    "obs": "https://example.org/kg/id/observation/",
    "unit": "https://example.org/kg/id/unit/",
    "page": "https://example.org/kg/id/page/",
    "article": "https://example.org/kg/id/article/",
    "sentence": "https://example.org/kg/id/sentence/",
    "stmt": "https://example.org/kg/id/statement/",
    "extractor": "https://example.org/kg/id/extractor/",
    "kggraph": "https://example.org/kg/graph/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "wd": "http://www.wikidata.org/entity/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# Namespaces rdflib does not ship (use rdflib.namespace for the others).
KGID = Namespace("https://example.org/kg/id/")
REGION = Namespace("https://example.org/kg/id/region/")
AGENCY = Namespace("https://example.org/kg/id/agency/")
PERSON = Namespace("https://example.org/kg/id/person/")
PROGRAM = Namespace("https://example.org/kg/id/program/")
POST = Namespace("https://example.org/kg/id/post/")
ROLE = Namespace("https://example.org/kg/id/role/")
MEMBERSHIP = Namespace("https://example.org/kg/id/membership/")
EVENT = Namespace("https://example.org/kg/id/event/")
OBS = Namespace("https://example.org/kg/id/observation/")
UNIT = Namespace("https://example.org/kg/id/unit/")
PAGE = Namespace("https://example.org/kg/id/page/")
ARTICLE = Namespace("https://example.org/kg/id/article/")
SENTENCE = Namespace("https://example.org/kg/id/sentence/")
STMT = Namespace("https://example.org/kg/id/statement/")
EXTRACTOR = Namespace("https://example.org/kg/id/extractor/")
KGGRAPH = Namespace("https://example.org/kg/graph/")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
WD = Namespace("http://www.wikidata.org/entity/")
