"""footkg: Hebrew football news -> an RDF knowledge graph of entities and claims."""

__version__ = "0.1.0"
