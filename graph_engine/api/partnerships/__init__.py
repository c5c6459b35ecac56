"""GraphQL of the partnerships capability (DESIGN §3.1): partnerships, authorization
requests, invitations, partnership proposals, connections and the invite decision.

The capability is larger than one module: its object types (:mod:`.types`), queries
(:mod:`.queries`) and mutations (:mod:`.mutations`).
"""

from __future__ import annotations

from graph_engine.api.partnerships.mutations import PartnershipMutation, ProposalMutation
from graph_engine.api.partnerships.queries import PartnershipQuery, ProposalQuery

__all__ = ["PartnershipMutation", "PartnershipQuery", "ProposalMutation", "ProposalQuery"]
