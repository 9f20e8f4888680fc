"""One exception tree. Every message names its source (file, slug, rule, query)."""


class KGError(Exception):
    """Base of every error footkg raises on purpose; the CLI turns it into a message."""


class CatalogError(KGError):
    """The curated catalogue is invalid: raised while loading, with file, line and slug."""


class ArticleError(KGError):
    """An article file cannot be read (not UTF-8, empty, bad header, an HTML page), or an
    article named on the command line is not in the store. Names the file or article."""


class QueryError(KGError):
    """A named query is unknown, malformed, or got a bad parameter. Names the query."""


class StoreError(KGError):
    """The store cannot be opened, written or reached (locked directory, endpoint down)."""


class ExportError(KGError):
    """An export format is unknown or the output cannot be written."""


class EvalError(KGError):
    """A gold file is malformed or its article cannot be found."""
