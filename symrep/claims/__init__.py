"""Claims: claim files, the claim kinds and their decisions (verdicts with witnesses)."""

from symrep.claims.files import (
    CLAIM_KINDS,
    MAX_FILE_BYTES,
    Claim,
    Problem,
    dumps_toml,
    load_claim_file,
    loads_claim_file,
    domain_to_json,
    parse_claim_toml,
    problem_from_json,
    problem_from_mapping,
    read_claim_text,
    problem_to_json,
)

__all__ = [
    "CLAIM_KINDS",
    "Claim",
    "MAX_FILE_BYTES",
    "Problem",
    "dumps_toml",
    "load_claim_file",
    "loads_claim_file",
    "domain_to_json",
    "parse_claim_toml",
    "problem_from_json",
    "problem_from_mapping",
    "read_claim_text",
    "problem_to_json",
]
