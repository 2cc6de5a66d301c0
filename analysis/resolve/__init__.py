"""Resolve stage: who is who across agency lists.

- :mod:`analysis.resolve.names` — titles apart from names, phonetic keys.
- :mod:`analysis.resolve.people` — people records → persons (Fellegi–Sunter scoring,
  clustering that never chains different people, reviewers' decisions).
- :mod:`analysis.resolve.organisations` — organisation names as written → org_ids.

How it works for users, the weights and thresholds: docs/resolution.md.
"""

from analysis.resolve.names import NameParts, compute_phonetic_key, split_name
from analysis.resolve.organisations import OrgMatch, OrgMatcher, compute_org_key
from analysis.resolve.people import PersonResolution, make_person_id, record_key, resolve_people

__all__ = [
    "NameParts",
    "OrgMatch",
    "OrgMatcher",
    "PersonResolution",
    "compute_org_key",
    "compute_phonetic_key",
    "make_person_id",
    "record_key",
    "resolve_people",
    "split_name",
]
