"""The footkg namespaces. ``FK`` is closed: ``FK.plysFor`` raises instead of minting an IRI.

Every term here is declared with labels in ``kg/data/ontology.ttl``; a test checks both agree.
"""

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

FKE = Namespace("https://w3id.org/footkg/entity/")
FKA = Namespace("https://w3id.org/footkg/article/")
FKC = Namespace("https://w3id.org/footkg/claim/")
RULE = Namespace("https://w3id.org/footkg/rule/")
SCHEMA = Namespace("https://schema.org/")
CATALOG_GRAPH = URIRef("https://w3id.org/footkg/graph/catalog")


class FK(DefinedNamespace):
    _NS = Namespace("https://w3id.org/footkg/ontology#")
    _fail = True

    # entity classes
    Person: URIRef         # players, coaches, owners, officials, referees
    Club: URIRef           # a football club
    NationalTeam: URIRef   # a national team
    Competition: URIRef    # a tournament or cup series
    League: URIRef         # a league (a competition)
    Organization: URIRef   # federations, confederations, associations
    Country: URIRef        # a country
    City: URIRef           # a city
    Stadium: URIRef        # a stadium
    Outlet: URIRef         # a news outlet that publishes articles (extension)

    # records
    Article: URIRef        # one news article, its own named graph
    Claim: URIRef          # one extracted statement with provenance
    CatalogFact: URIRef    # a curated background fact (catalogue graph)
    Quote: URIRef          # a quotation with its speaker
    Match: URIRef          # a match result
    Goal: URIRef           # a goal in a match
    RedCard: URIRef        # a sending-off in a match (extension)
    TextSpan: URIRef       # character offsets into an article's text
    IngestRun: URIRef      # the software run that produced an article graph
    AmbiguousMention: URIRef  # a name that fits several entities (extension)

    # modalities
    Modality: URIRef
    Asserted: URIRef
    Negated: URIRef
    Desired: URIRef
    Planned: URIRef
    Possible: URIRef
    Past: URIRef

    # relations between entities
    playsFor: URIRef
    formerPlayerOf: URIRef
    headCoachOf: URIRef
    formerHeadCoachOf: URIRef
    assistantCoachOf: URIRef
    ownerOf: URIRef
    presidentOf: URIRef
    sportingDirectorOf: URIRef
    captainOf: URIRef       # extension
    teammateOf: URIRef
    formerTeammateOf: URIRef
    siblingOf: URIRef
    competesIn: URIRef
    won: URIRef
    nationality: URIRef
    country: URIRef
    basedIn: URIRef
    homeStadium: URIRef
    memberOf: URIRef
    transferredTo: URIRef
    loanedTo: URIRef
    signedContractWith: URIRef
    appointedBy: URIRef
    dismissedBy: URIRef
    injured: URIRef
    suspended: URIRef       # extension: suspension, description as object
    calledUpTo: URIRef      # extension: Person -> NationalTeam squad call-up

    # claim structure
    subject: URIRef
    predicate: URIRef
    object: URIRef
    objectValue: URIRef
    modality: URIRef
    season: URIRef
    fromClub: URIRef        # qualifier: previous club of a move
    fee: URIRef             # qualifier: transfer fee as stated
    contractUntil: URIRef   # qualifier: contract length/end as stated
    claimedBy: URIRef
    statedIn: URIRef
    evidence: URIRef
    extractedBy: URIRef
    confidence: URIRef
    asOf: URIRef            # catalogue facts: when true
    source: URIRef          # catalogue facts: where from

    # spans, quotes, articles
    start: URIRef
    end: URIRef
    exact: URIRef
    text: URIRef
    speakerName: URIRef    # a quote's speaker the catalogue does not know, as written
    speakerRole: URIRef    # that speaker's role as the text gives it
    validFrom: URIRef      # a catalogue fact's first day (extension)
    validUntil: URIRef     # a catalogue fact's last day (extension)
    sourceFile: URIRef     # a url-less article: the absolute path it was read from (extension)
    contentHash: URIRef    # SHA-256 of the article file's bytes: an unchanged file is not extracted again (extension)
    speaker: URIRef
    mentions: URIRef
    candidate: URIRef       # an ambiguous mention's candidate entity
    toolVersion: URIRef
    ruleSetVersion: URIRef

    # matches
    homeTeam: URIRef
    awayTeam: URIRef
    homeScore: URIRef
    awayScore: URIRef
    competition: URIRef
    round: URIRef
    date: URIRef
    venue: URIRef
    referee: URIRef
    attendance: URIRef
    goal: URIRef
    redCard: URIRef
    scorer: URIRef
    player: URIRef
    minute: URIRef
    team: URIRef
    assist: URIRef
    penalty: URIRef
    ownGoal: URIRef
    homeKnown: URIRef
