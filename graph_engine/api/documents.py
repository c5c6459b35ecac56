"""Parsed and validated documents, kept by their query text within a budget of characters.

A document's syntax tree takes about 130 bytes per character of query text (a query at
the token limit, 15 KB, parses into 1.9 MB), so a cache bounded by a number of entries,
as strawberry's ``ParserCache`` and ``ValidationCache`` are, lets anyone who sends
distinct large queries pin hundreds of megabytes. :class:`Documents` keeps documents
while their texts add up to at most :data:`BUDGET` characters (about 35 MB of trees),
least recently used out first, and never keeps a text over :data:`LONGEST` characters
(parsed and validated each time instead). A document is kept with its validation errors,
so an invalid one costs nothing the second time either; a syntax error is not kept.

Both ways a GraphQL POST is answered share one :class:`Documents` per schema: the
direct path (:mod:`graph_engine.api.direct`) and, on the whole way, :class:`KeptDocuments`,
the strawberry extension that takes the place of ``ParserCache`` and ``ValidationCache``.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, Source, parse
from graphql.language.location import SourceLocation
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from graph_engine.api.limits import Limits, Measured, before_validation
from graph_engine.api.plans import Plan, plan

# Characters of query text kept in all, and the longest text kept.
BUDGET = 256 * 1024
LONGEST = 16 * 1024


_NEWLINE = re.compile(r"\r\n|[\n\r]")  # graphql-core's line ends


class IndexedSource(Source):
    """A query's text that finds an error's line and column by bisection.

    graphql-core's :class:`Source` walks the text's line ends up to the error, in Python,
    for every error: a hundred validation errors behind 30 KB of padding cost 100 ms.
    Here the line ends are found once (by the regular expression graphql-core uses), and
    each error's place is a binary search: the same answer.
    """

    @cached_property
    def _line_ends(self) -> tuple[list[int], list[int]]:
        starts, ends = [], []
        for match in _NEWLINE.finditer(self.body):
            starts.append(match.start())
            ends.append(match.end())
        return starts, ends

    def get_location(self, position: int) -> SourceLocation:
        starts, ends = self._line_ends
        before = bisect.bisect_left(starts, position)  # line ends that start before it
        line_start = ends[before - 1] if before else 0
        return SourceLocation(before + 1, position + 1 - line_start)


@dataclass(frozen=True, slots=True)
class Kept:
    """A query's document, its validation errors (none: the document is valid) and, when
    valid, its plan (:mod:`graph_engine.api.plans`; None: graphql-core walks it)."""

    document: DocumentNode
    errors: tuple[GraphQLError, ...]
    plan: Plan | None = None
    # Its operations' measures, by operation name, as far as the variables do not change
    # them (:func:`graph_engine.api.limits.measure`).
    measured: dict[str | None, Measured] = field(default_factory=dict)


class Documents:
    """Documents by query text (see the module docstring); ``rules`` are the validation
    rules strawberry's own would be (graphql-core's and the extensions'), ``max_tokens``
    the parser's limit, ``max_repeats`` the most times a name may be selected
    (:func:`graph_engine.api.limits.before_validation`)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        rules: Sequence[type[ASTValidationRule]],
        max_tokens: int,
        *,
        max_repeats: int = Limits().max_repeats,
        budget: int = BUDGET,
        longest: int = LONGEST,
    ) -> None:
        self.schema = schema
        self.rules = tuple(rules)
        self.max_tokens = max_tokens
        self.max_repeats = max_repeats
        self.budget = budget
        self.longest = longest
        self.kept: OrderedDict[str, Kept] = OrderedDict()
        self.size = 0

    def get(self, query: str) -> Kept:
        """The query's document and validation errors; :class:`GraphQLError` when it does
        not parse."""
        found = self.kept.get(query)
        if found is not None:
            self.kept.move_to_end(query)
            return found
        document = parse(IndexedSource(query), max_tokens=self.max_tokens)
        # A document refused before validation is not validated at all (what it would
        # cost is why it is refused); its refusal is kept as its validation's answer.
        refused = before_validation(document, self.max_repeats)
        errors = (
            (refused,)
            if refused is not None
            else tuple(validate_document(self.schema, document, self.rules))
        )
        found = Kept(document, errors, None if errors else plan(self.schema, document))
        if len(query) <= self.longest:
            self.kept[query] = found
            self.size += len(query)
            while self.size > self.budget:
                gone, _ = self.kept.popitem(last=False)
                self.size -= len(gone)
        return found

    def valid(self, query: str) -> Kept | None:
        """The query's document and plan if it parses and validates, else None."""
        try:
            found = self.get(query)
        except GraphQLError:
            return None
        return None if found.errors else found


class KeptDocuments(SchemaExtension):
    """The whole way's parse and validation, from :class:`Documents` (strawberry parses
    and validates itself only what is not there: a syntax error, other rules)."""

    def __init__(self, *, documents: Documents) -> None:
        self.documents = documents
        self.found: Kept | None = None

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.query is not None and ctx.graphql_document is None:
            try:
                self.found = self.documents.get(ctx.query)
            except GraphQLError:
                self.found = None  # strawberry's own parse says why, as it always has
            else:
                ctx.graphql_document = self.found.document
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if (
            self.found is not None
            and ctx.graphql_document is self.found.document
            and ctx.pre_execution_errors is None
            and tuple(ctx.validation_rules) == self.documents.rules
        ):
            ctx.pre_execution_errors = list(self.found.errors)
        yield
