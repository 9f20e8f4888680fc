import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from kg.lexicon import DATA
from kg.vocab import FK


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(DATA / "ontology.ttl", format="turtle")


def test_vocab_is_closed():
    with pytest.raises(AttributeError):
        FK.plysFor  # noqa: B018


def test_vocab_every_term_declared_with_labels(ontology):
    for name in FK.__annotations__:
        term = FK[name]
        langs = {l.language for l in ontology.objects(term, RDFS.label)}
        assert {"en", "he"} <= langs, name
        assert {l.language for l in ontology.objects(term, RDFS.comment)} >= {"en", "he"}, name


def test_vocab_spec_terms_present():
    spec = """Person Club NationalTeam Competition League Organization Country City Stadium
    playsFor formerPlayerOf headCoachOf formerHeadCoachOf assistantCoachOf ownerOf presidentOf
    sportingDirectorOf teammateOf formerTeammateOf siblingOf competesIn won nationality country
    basedIn homeStadium memberOf transferredTo loanedTo signedContractWith appointedBy dismissedBy
    injured Claim subject predicate object objectValue modality season claimedBy statedIn evidence
    extractedBy confidence TextSpan start end exact Quote speaker text mentions Match homeTeam
    awayTeam homeScore awayScore competition round date venue referee attendance goal Goal scorer
    minute team assist penalty Article Asserted Negated Desired Planned Possible Past""".split()
    for name in spec:
        assert name in FK.__annotations__, name


def test_vocab_alignments(ontology):
    schema = "https://schema.org/"
    assert (FK.Person, RDFS.subClassOf, None) in ontology
    assert str(ontology.value(FK.Club, RDFS.subClassOf)) == schema + "SportsTeam"
    assert (FK.League, RDFS.subClassOf, FK.Competition) in ontology
    assert (FK.teammateOf, RDF.type, OWL.SymmetricProperty) in ontology
