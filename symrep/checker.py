#!/usr/bin/env python3
"""symrep certificate checker: the whole trusted base, in one standard-library file.

Usage::

    python3 checker.py CERT.json [CERT.json ...] [--json] [--exhaustive]

Exit status 0 when every certificate is valid, 1 when any is rejected, 2 when a
file cannot be read as a certificate.  This file imports only the standard
library and nothing else of symrep: copy it anywhere and run it.  Within symrep
only the CLI ``check`` command, ``certificates/explain.py`` and ``symrep/testing``
import it: the library decides and verifies with its own code.

Design note
-----------
A certificate carries a problem (data points, networks, claims) and, per claim,
a verdict with a witness.  The checker trusts neither: it recomputes every
activation matrix by an exact forward pass from the embedded networks and data,
then checks each witness by multiplication and addition only.  It never runs a
search or an elimination it was not handed, and anything it cannot re-derive
(an unknown claim kind, a missing field, a wrong number, a verdict the witness
does not force) is a rejection.  So is a field it does not know (a misspelt
``neurons`` or ``bias`` would otherwise silently change the claim) and a JSON
object with a repeated key (JSON readers differ on which value counts).

Why the evidence suffices, per claim kind (A, B: activation matrices with one
row z_v per neuron, exact rationals):

* ``activations``, ``identical``: the matrices are recomputed and compared; the
  witness's shapes, widths and differing entry (which ``symrep explain`` shows)
  must be the recomputed ones.
* ``dimension`` r: the witness names r basis rows and r pivot columns and the
  inverse K of the r x r block they cut out; ``K @ block == I`` proves the block
  invertible, hence the r rows independent (rank >= r).  Or ``inverse_mod``:
  K @ block' == I mod a prime q, block' = block with rows times their denominators
  (prime to q), so det(block') != 0 mod q, hence != 0.
  Coefficients writing every row in the basis rows prove rank <= r.
* ``exact_match`` (span z_X == span z_Y): coefficients writing each vector of
  each side in the other side's vectors.  Refuted by a vector w orthogonal to
  every z_y (y in Y) with w . z_x != 0: then z_x is outside span z_Y.
* ``maximum_match`` / ``no_match``: a removal trace.  Replaying it from all
  neurons, each removed neuron v comes with w orthogonal to every vector still
  on the other side and w . z_v != 0.  Induction shows every match (X', Y') is
  contained in the current sets: if v were in X', z_v would lie in
  span z_X' = span z_Y', a subspace of the other side's current span, so
  w . z_v would be 0.  Hence no removed neuron belongs to any match.  The pair
  left at the end is itself a match (coefficients both ways), so it is the
  maximum match: the union of all matches.
* ``isomorphic``: both dimensions proved as above; when equal, a map M (given by its
  non-zero rows) with basis_A @ M == basis_B and a map N with basis_B @ N == basis_A.
  M sends a basis of span A onto a basis of span B, so it is an isomorphism, N its
  inverse.  For large dimensions the witness says "through the pivot blocks":
  M = (restrict to the pivot columns) K B_b with K the inverse of the proved-invertible
  block.  When the dimensions differ, no isomorphism exists.
* eps-matches (``approx_match``, ``maximum_approx_match``, ``match_similarity``):
  a kept vector has coefficients whose residual satisfies |r|^2 <= eps^2 |z|^2
  (any coefficients bound the distance from above); a removed vector has w
  orthogonal to the other side with (w . z)^2 > eps^2 |z|^2 |w|^2, a bound from
  below (dist >= |w . z| / |w|).  The induction above carries over unchanged.
  Or a removal has a ``bound`` (coefficients c) and ``gram_bounds`` a certified
  mu <= lambda_min(Y Y^T): dist^2 >= |z - Yc|^2 - |Y(z - Yc)|^2 / mu (``gram_bounds``).
* ``simple_match`` (M non-empty, not the union of the matches strictly inside):
  coefficients show M is a match; for a neuron v and every other neuron u of
  M, a forced removal trace from M - {u} removes v.  Every match strictly
  inside M misses some u, so it lies in the maximum match of M - {u}, which
  misses v: the union of those matches misses v.  Refuted by such matches
  whose union is M, or by a vector outside the other side's span.
* ``simple_matches``: each non-empty pair of neuron sets is shown a match or not, once;
  from that complete list the simple matches are computed and compared.
* ``equal_functions`` (f = g on the domain D: R^n, a box, or <=, == rows).  False: a
  point of D where the recomputed outputs differ.  True: a splitting tree.  ``order``
  lists every relu neuron [network, layer, neuron] once, each network's layers in
  order; a leaf's ``path`` over ``+ - 0`` decides order[0], order[1], ...; its cell C
  has D's rows (a box gives -x_i <= -lo, x_i <= hi; ``>=`` is negated), then per step
  on that neuron's pre-activation p = w.x + c the row ``+`` p > 0 (-w.x < c), ``-``
  p < 0 (w.x < -c) or ``0`` p == 0.  p, the pattern and the final maps are re-derived
  from the networks along the path, never read from the witness (its rows could be
  another network's; one wrong state alters every later p): on C each neuron of the
  earlier layers is decided and outputs p (``+``) or 0 (``-``, ``0``), so p is affine
  on C, provided the order splits no neuron before its inputs are decided.
  (1) The closures of the leaves cover D.  Paths are distinct, none a prefix of
  another; each inner node u has u+ and u- (C_u is the union of its parts with
  p > 0, p < 0, p == 0); u0 may be absent only if a leaf's point y lies below u+ or
  u-, so y is in C_u with p(y) != 0: then each x of C_u with p(x) = 0 is the limit
  of x + t (y - x), t -> 0+, points of C_u (convex) on y's side.  By induction from
  the leaves (finitely many: a union of closures is closed) C_u lies in the union of
  the closures of the leaves below u; for u = "" that is D.
  (2) An empty leaf: Motzkin multipliers y (sparse [row, y], >= 0 except on == rows),
  sum y a = 0 and sum y b < 0, or sum y b = 0 with y > 0 on a strict row; a point of
  C would give 0 = sum y a.x <= sum y b, strictly if a strict row has weight.
  Cells are open (p > 0, p < 0), so {x < 0, -x <= 0} is empty only by the strict
  case, and {x <= 0, -x <= 0} is not: a check blind to strictness is unsound.
  (3) A leaf with a point decides every neuron: on C, f and g are the affine maps
  F, G (``+`` neurons kept, the others zero).  F = G row by row, or per output k
  whose F_k - G_k = u.x + u0 is not zero, ``zero_on_leaf`` has Motzkin certificates
  for C plus -u.x < u0 and for C plus u.x < -u0: F_k = G_k on C.  By continuity
  f = g on C's closure; with (1), on D.  The point satisfies the strict rows
  strictly (it is the y of (1)); ``map`` (optional) must be the recomputed F.
* ``cka``: the Frobenius norms are recomputed from the centered activations, CKA^2 compared with the
  squared bounds (a witness ``cka_squared_bracket`` of a float decision must hold the recomputed CKA^2).
* ``procrustes``, ``angular_procrustes``, ``cca``, ``svcca`` (irrational values: a rational bracket).
  ||M||_* >= tr(Z^T M) / u when u^2 >= 1 + eta >= 1 + |Z^T Z - I|_F >= ||Z||_2^2, and
  ||M||_* <= (|A|^2 + |B|^2) / 2 + ceil(sqrt(min dim)) |M - A B|_F (AM-GM on singular values, triangle
  inequality); exact when Q^T Q = I, P = Q^T M is symmetric PSD and Q P = M (then M^T M = P^2).  CCA:
  with G = W^T A_c A_c^T W, |G - I|_F <= e < 1 and the ranks proved, sum rho = ||R_x^-T C R_y^-1||_*
  lies in [||C||_* / sqrt((1+ex)(1+ey)), ||C||_* / sqrt((1-ex)(1-ey))]; exact 0 when A_c B_c^T = 0,
  1 when one span contains the other.  SVCCA: lambda_k > b >= lambda_(k+1) from two certified positive
  definite matrices (s S = L L^T + mu I + E, |E|_F < mu), and Davis-Kahan with R = A A^T W - W D
  moves each correlation by at most s = sqrt(b) |R|_F / (delta sqrt(1 - e)) per side.
* ``pwcca``: on the side of smaller rank r (``swap``: the second), J(u, v) = (P_X v, P_Y u) has
  spectrum +-rho_i and zeros; w_i = (A_c^T W_x p_i, B_c^T W_y q_i) has |J w - sigma w| <= e_i with
  e_i^2 >= |C q - sigma G_x p|^2/(1-ex) + |C^T p - sigma G_y q|^2/(1-ey); disjoint positive intervals
  sigma_i -+ e_i u_hi each hold one simple rho_i, Davis-Kahan bounds each h_i, so each weight
  sum_j |<h_i, x_j>| / sqrt 2 is within (3/2) nu eps_i / gap_i of |A_c A_c^T W_x p_i|_1 [u_lo, u_hi].
* ``shape``: alpha 1 is ``angular_procrustes``; alpha 0 is arccos(sum rho / sqrt(rank_x rank_y)), the
  sum bracketed as for ``cca`` and the angle certified by cos(lower) >= c_hi, cos(upper) <= c_lo.
* ``equivalence``: a permutation (with positive scales) multiplied out, refuted by
  a neuron of A with more copies (positive multiples) in A than in B; for
  ``orthogonal``, A = CA Bb and B = CB Bb with CA^T CA == CB^T CB, which gives
  A^T A == B^T B, refuted by w with |A w|^2 != |B w|^2; for ``linear``, equal
  spans of layers of equal width (then an invertible M has A = M B: with
  A = CA Bb, B = CB Bb, extend CA, CB by unit columns to invertible FA, FB and
  take M = FA FB^-1), refuted as ``exact_match`` is (A = M B: span A in span B).
  ``similarity`` (A = s Q B, s > 0): A = CA Bb, B = CB Bb with CA^T CA == s^2 CB^T CB, so
  A^T A == s^2 B^T B, hence A = Q (s B); refuted by one vector w with exactly one of |A w|^2,
  |B w|^2 zero, or two u, v with |A u|^2 |B v|^2 != |A v|^2 |B u|^2 (proportional norms otherwise).
  Unequal widths admit no square map.  ``centered`` subtracts each neuron's mean
  over the data first.  Optional maps are multiplied out.
* ``equal_functions`` by symmetry: per hidden layer a permutation pi and scales c > 0 with
  W'[pi(i)][pi_prev(k)] c_prev[k] == c[i] W[i][k] and b'[pi(i)] == c[i] b[i] (the output layer with
  pi = id, c = 1); relu(c t) = c relu(t), so by induction g's layer outputs h'[pi(i)] = c[i] h[i]
  at every input and the outputs agree everywhere, whatever the domain.

* layer certificates (``symrep-layer-certificate/1``, section "layer certificates" below): the
  data is read from .npy/.npz files named by SHA-256, the witnesses (exact Grams, coefficient
  rows, a Gram eigenvalue bound) from a hashed .npz.  Claimed products are tested by Freivalds'
  method with randomness drawn (secrets) only after every byte of the certificate and its files
  has been read: the certificate is then a fixed object, and for a wrong product the test passes
  with probability <= 2/2^128 whatever the certificate (Schwartz-Zippel), so a hostile certificate
  gains nothing by its choice; the union bound is printed with the verdict, and ``--exhaustive``
  recomputes every product instead.
* sqrt: a bound or value "R*sqrt(R)" is the pair (c, q); the sign of a sum of at most four such
  terms is decided by halves P, N: the common sign, or sign(P) * sign(P^2 - N^2), a shorter sum.
* measured quantities (``relation``, ``triangle``, ``invariance``): "M", "1 - M" or "arccos M" for
  a measure M the checker re-derives: ``cka`` (CKA^2 recomputed; value sqrt(CKA^2)) and
  ``match_similarity:EPS`` (the maximum eps-match proved from its removal trace, as for
  ``maximum_approx_match``), ``mutual_knn:K`` (recomputed; only when no tie straddles the k-th
  neighbour, else rejected) and ``rsa:RDM,COMPARISON`` (recomputed: the correlation c/sqrt(v v')
  of rational vectors is sign(c) sqrt(c^2 / (v v')); ranks of 1 - r compare r by sign(c) c^2 / (v v'));
  the spectral measures (their kinds' witness under ``spectral``, re-derived by check_procrustes ...
  as a claim "value >= lower": the bracket is certified; Procrustes' square is exact with an exact
  nuclear norm); any other measure is rejected.  A bracket or range decides a sign only when its
  two extremes give the same one.  ``relation``: the sign of left - right
  (for arccos forms, of right's cosine - left's: arccos decreases) forces the verdict.
  ``triangle``: the slack d_i + d_j - d_k of each inequality; for "1 - M" a sum of at most four
  square roots; for "arccos M", sign(arccos a + arccos b - arccos c) is +1 when a + b < 0, and when
  a + b = 0 it is 0 iff c = -1 (else +1); when a + b > 0 (so arccos a + arccos b < pi, where cos
  decreases) it is the sign of c - ab + sqrt((1 - a^2)(1 - b^2)): +1 if c > ab; if c = ab, 0 iff
  a^2 = 1 or b^2 = 1; if c < ab, the sign of 1 - a^2 - b^2 - c^2 + 2abc (the squares' difference).
  ``invariance``: the transformed rows (X T: neuron j = sum_i T[i][j] neuron i; X + t; c X) are
  recomputed from the claim, and the sign of after - before forces the verdict (0: unchanged).  A
  ``family``: true only for INVARIANT's pairs, each proved wherever the value is defined (design note
  of kinds/invariance.py); false by a member (Q^T Q = I, 0/1 for P; T T^-1 = I; c; t), as given.

Bounds and cost, as functions of the certificate's size S.  Files (512 MiB), numbers (20,000
digits), claims and matrix shapes are bounded, and so is everything computed from them:
* the forward pass keeps each neuron's activations as integers over their least common
  denominator, at most MAX_BITS = 2^18 bits each and MAX_FORWARD_BITS = 2^28 bits per network
  (symrep's own bounds, network.py); a neuron whose integers would pass 2 * MAX_FORWARD_BITS, or
  whose denominator before cancelling passes 16 * MAX_BITS, is refused before it is built.  Memory
  is O(2^28 bits) per network; time is (non-zero weights) x (data points) <= S^2 products of a
  weight's integer by an activation's, both of bounded size.
* a witness is used in a bounded number of row operations per entry, so a check is linear in its
  witness times d, except the cubic products, refused beyond the sizes symrep writes: an exact
  "inverse" up to rank 8 (8^3 products), a square "map" up to width 64, simple_matches up to 12
  neurons in all (2^12 pairs; the simple ones found in 2^12 * 12 steps, not by comparing pairs).
  "inverse_mod" (r^2 packed products for an r x r matrix read from the file) and the orthogonal
  Gram check (r^2 n for coordinates of n x r entries) cost at most their witness's size to the 1.5.
* equal_functions: per leaf, its path re-derived (path length x network size) and one Motzkin
  check (linear in its multipliers): leaves x network size <= S^2; a symmetry witness costs one
  product per weight.
In all: O(S^2) exact operations on numbers of bounded size, and a hostile file is refused with a
message before any bound is passed.
"""

from __future__ import annotations

import argparse
import array
import functools
import hashlib
import io
import itertools
import json
import math
import operator
import os
import re
import secrets
import sys
import zipfile
import zlib
from collections import Counter
from fractions import Fraction

FORMAT = "symrep-certificate/1"
MAX_BYTES = 512 * 1024 * 1024
MAX_DIGITS = 20_000  # per integer in a number "p/q"
MAX_CLAIMS = 10_000
MAX_ENTRIES = 50_000_000  # numbers in data and weights together
MAX_BITS = 1 << 18  # of an activation's integer numerator or its neuron's common denominator (symrep's bound)
MAX_FORWARD_BITS = 1 << 28  # of all activations of one network, layer 0 included (symrep's bound)
# The largest witnesses of cubic cost that symrep writes; a larger one is refused before any product.
EXACT_INVERSE_UP_TO = 8  # rank of a dimension witness's exact "inverse" (beyond: "inverse_mod")
SIMPLE_MATCHES_UP_TO = 12  # neurons of both layers of a simple_matches certificate together
SQUARE_MAP_UP_TO = 64  # width of an equivalence witness's explicit map (and its inverse)
# The fields of each claim kind (as in a claim file).  Any other field is a rejection: a misspelt
# "neurons" or "bias" must not silently change what the certificate proves.
CLAIM_FIELDS = {
    "activations": {"network", "equals"},
    "dimension": {"network", "equals"},
    "identical": {"networks"},
    "exact_match": {"networks", "neurons"},
    "maximum_match": {"networks", "equals"},
    "no_match": {"networks"},
    "isomorphic": {"networks"},
    "approx_match": {"networks", "neurons", "eps"},
    "maximum_approx_match": {"networks", "equals", "eps"},
    "match_similarity": {"networks", "equals", "eps"},
    "simple_match": {"networks", "neurons", "eps"},
    "equivalence": {"networks", "level", "centered"},
    "cka": {"networks", "equals", "at_least", "at_most", "squared"},
    "equal_functions": {"networks", "domain", "max_regions"},
    "simple_matches": {"networks", "equals", "eps"},
    "procrustes": {"networks", "equals", "at_least", "at_most"},
    "angular_procrustes": {"networks", "equals", "at_least", "at_most"},
    "cca": {"networks", "equals", "at_least", "at_most"},
    "svcca": {"networks", "k", "equals", "at_least", "at_most"},
    "pwcca": {"networks", "equals", "at_least", "at_most"},
    "shape": {"networks", "alpha", "equals", "at_least", "at_most"},
    "relation": {"networks", "left", "relation", "right"},
    "triangle": {"networks", "distance", "via", "equality"},
    "invariance": {"networks", "measure", "transform"},
}
COMMON_FIELDS = {"id", "kind", "layer", "expect", "statement"}


def exact_number_text(s):
    """Whether s is "p" or "p/q" with ASCII digits and an optional leading minus (nothing else)."""
    p, slash, q = s.partition("/")
    digits = lambda t: bool(t) and all(ch in "0123456789" for ch in t)  # noqa: E731
    return digits(p[1:] if p.startswith("-") else p) and (not slash or digits(q))


class Reject(Exception):
    """The certificate (or one claim of it) does not check."""


class Unreadable(Exception):
    """The file cannot be read as a certificate at all."""


# ---------------------------------------------------------------------------------------------
# reading values


def need(obj, key, where):
    if not isinstance(obj, dict):
        raise Reject(f"{where}: expected an object")
    if key not in obj:
        raise Reject(f"{where}: missing field {key!r}")
    return obj[key]


def reject_if(failed, message):
    """Reject with *message* when *failed* (the guards below whose message is cheap to build: not per number)."""
    if failed:
        raise Reject(message)


def num(s, where):
    """An exact rational written as a string "p" or "p/q" (or a JSON integer)."""
    if isinstance(s, bool):
        raise Reject(f"{where}: expected a number, got a boolean")
    if isinstance(s, int):
        return Fraction(s)
    if not isinstance(s, str):
        raise Reject(f"{where}: expected a number as a string like '-3/4', got {type(s).__name__}")
    if len(s) > 2 * MAX_DIGITS + 2:
        raise Reject(f"{where}: number of {len(s)} characters exceeds the bound")
    if not exact_number_text(s):
        raise Reject(f"{where}: {s[:40]!r} is not an exact number 'p' or 'p/q'")
    p, _, q = s.partition("/")
    if len(p.lstrip("-")) > MAX_DIGITS or len(q) > MAX_DIGITS:
        raise Reject(f"{where}: a number with more than {MAX_DIGITS} digits exceeds the bound")
    den = decimal_int(q) if q else 1
    if den == 0:
        raise Reject(f"{where}: {s[:40]!r} divides by zero")
    return Fraction(-decimal_int(p[1:]) if p.startswith("-") else decimal_int(p), den)


def decimal_int(digits):
    """int(digits) in pieces: Python refuses to convert more than 4,300 digits at once."""
    value = 0
    for k in range(0, len(digits), 1000):
        piece = digits[k:k + 1000]
        value = value * 10 ** len(piece) + int(piece)
    return value


def known(obj, fields, where):
    """Reject a field the checker does not know (it would be silently ignored otherwise)."""
    extra = sorted(set(obj) - set(fields)) if isinstance(obj, dict) else []
    if extra:
        raise Reject(f"{where}: unknown field {extra[0]!r}")


def integer(v, where, lo=0, hi=None):
    if isinstance(v, bool) or not isinstance(v, int):
        raise Reject(f"{where}: expected an integer, got {type(v).__name__}")
    if v < lo or (hi is not None and v > hi):
        raise Reject(f"{where}: {v} is out of range")
    return v


def lst(v, where, length=None):
    if not isinstance(v, list):
        raise Reject(f"{where}: expected a list, got {type(v).__name__}")
    if length is not None and len(v) != length:
        raise Reject(f"{where}: expected {length} entries, got {len(v)}")
    return v


def ints(v, where, length=None):
    """A list of non-negative integers (no booleans, no floats)."""
    return [integer(x, f"{where}[{k}]") for k, x in enumerate(lst(v, where, length))]


def matrix(v, where, rows=None, cols=None):
    out = [[num(x, f"{where}[{i}][{j}]") for j, x in enumerate(lst(r, f"{where}[{i}]", cols))]
           for i, r in enumerate(lst(v, where, rows))]
    if out and cols is None and len({len(r) for r in out}) > 1:
        raise Reject(f"{where}: rows of different lengths")
    return out


def indices(v, where, n, distinct=True):
    out = [integer(i, f"{where}[{k}]", 0, n - 1) for k, i in enumerate(lst(v, where))]
    if distinct and len(set(out)) != len(out):
        raise Reject(f"{where}: repeats an index")
    return out


def sparse(v, where, n):
    """A sparse vector [[index, "value"], ...] with distinct indices below n."""
    out = {}
    for k, pair in enumerate(lst(v, where)):
        i, x = lst(pair, f"{where}[{k}]", 2)
        i = integer(i, f"{where}[{k}]", 0, n - 1)
        if i in out:
            raise Reject(f"{where}: repeats index {i}")
        out[i] = num(x, f"{where}[{k}]")
    return out


def is_prime(n):
    """Deterministic Miller-Rabin for n < 3.3e24 (the first 13 primes as bases suffice)."""
    small = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)
    if n < 2:
        return False
    for p in small:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for a in small:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# exact arithmetic on rows (integer-scaled for speed: row = ints / scale)


def integral(w):
    """A sparse rational vector as (column -> integer, common denominator)."""
    den = math.lcm(*(x.denominator for x in w.values())) if w else 1
    return {j: x.numerator * (den // x.denominator) for j, x in w.items()}, den


class Rows:
    """Activation vectors kept as integer rows with a positive scale: z_i = ints[i] / scale[i]."""

    def __init__(self, ints, scale):
        self.ints, self.scale = ints, scale
        self._frac = None

    @classmethod
    def of(cls, rows, where="a matrix", budget=None):
        """Rows over their least common denominators; each size is checked before it is built.

        budget: a one-item list of the bits still allowed (decremented), for the forward pass.
        """
        ints, scale = [], []
        for i, r in enumerate(rows):
            s = 1
            for x in r:
                s = s * x.denominator // math.gcd(s, x.denominator)
                if s.bit_length() > MAX_BITS:
                    raise Reject(f"{where}: row {i} needs a denominator of more than {MAX_BITS} bits: too large to check")
            sizes = [x.numerator.bit_length() + (s // x.denominator).bit_length() if x else 0 for x in r]
            if max(sizes, default=0) > MAX_BITS + 1:
                raise Reject(f"{where}: row {i} has a number of more than {MAX_BITS} bits: too large to check")
            if budget is not None:
                budget[0] -= s.bit_length() + sum(sizes)
                if budget[0] < 0:
                    raise Reject(f"{where}: the activations take more than {MAX_FORWARD_BITS} bits: too large to check")
            ints.append([x.numerator * (s // x.denominator) for x in r])
            scale.append(s)
        return cls(ints, scale)

    @property
    def frac(self):
        """The rows as lists of Fractions (built on first use)."""
        if self._frac is None:
            self._frac = [[Fraction(x, s) for x in r] for r, s in zip(self.ints, self.scale)]
        return self._frac

    def __len__(self):
        return len(self.ints)

    def entry(self, i, j):
        return Fraction(self.ints[i][j], self.scale[i])

    def dot(self, i, w):
        """z_i . w for a sparse w: a dict column -> Fraction, or (column -> int, den) from integral()."""
        wi, den = w if isinstance(w, tuple) else integral(w)
        row = self.ints[i]
        return Fraction(sum(row[j] * x for j, x in wi.items()), den * self.scale[i])

    def is_zero(self, i):
        return not any(self.ints[i])

    def same_row(self, i, other, k):
        """Whether z_i of self equals z_k of other (cross-multiplied, in integers)."""
        s, t = self.scale[i], other.scale[k]
        return all(x * t == y * s for x, y in zip(self.ints[i], other.ints[k]))

    def residual(self, target, coeffs, other):
        """(acc, den) with acc / den == z_target - sum(c * other.z_k for k, c in coeffs), in integers."""
        terms = [(c / other.scale[k], other.ints[k]) for k, c in coeffs.items() if c]
        goal = Fraction(1, self.scale[target])
        den = math.lcm(goal.denominator, *(c.denominator for c, _ in terms))
        g = goal.numerator * (den // goal.denominator)
        acc = [x * g for x in self.ints[target]]
        for c, row in terms:
            m = c.numerator * (den // c.denominator)
            acc = [a - m * x for a, x in zip(acc, row)]
        return acc, den

    def combination_is(self, target, coeffs, other):
        """Whether sum(c * other.z_k for k, c in coeffs) == self.z_target, exactly."""
        return not any(self.residual(target, coeffs, other)[0])

    def within(self, target, coeffs, other, eps2):
        """Whether |z_target - sum(c * other.z_k)|^2 <= eps2 * |z_target|^2 (eps2 = 0: equality)."""
        acc, den = self.residual(target, coeffs, other)
        if eps2 == 0:
            return not any(acc)
        return Fraction(sum(a * a for a in acc), den * den) <= eps2 * self.norm2(target)

    def norm2(self, i):
        return Fraction(sum(x * x for x in self.ints[i]), self.scale[i] ** 2)


def forward(layers, inputs, where="network"):
    """Activation matrices (as Rows, rows = neurons) of layers 0..k on the data points.

    Each neuron's pre-activations are computed over a common denominator, in integers.  Sizes are
    bounded as symrep bounds them (MAX_BITS per neuron's denominator and numerators, MAX_FORWARD_BITS
    in all); a neuron is also refused before it is computed when its denominator before cancelling
    passes 16 * MAX_BITS or a bound on its integers passes 2 * MAX_FORWARD_BITS, so memory stays
    bounded whatever the weights (symrep's bound is on the cancelled form: only a neuron whose common
    factor is worth more than the whole budget could be written by symrep and refused here).
    """
    budget = [MAX_FORWARD_BITS]
    h = Rows.of([list(col) for col in zip(*inputs)], f"{where}: the data points", budget)
    out = [h]
    for li, layer in enumerate(layers):
        lw = f"{where}.layers[{li}]"
        col_bits = [max((r[t].bit_length() for r in h.ints), default=0) for t in range(len(inputs))]
        ints, scale = [], []
        for v, (wrow, b) in enumerate(zip(layer["weights"], layer["bias"])):
            terms = [(w, k) for k, w in enumerate(wrow) if w]
            den = b.denominator
            for w, k in terms:
                q = w.denominator * h.scale[k]
                den = den * q // math.gcd(den, q)
                if den.bit_length() > 16 * MAX_BITS:
                    raise Reject(f"{lw}: neuron {v} needs a denominator of more than {16 * MAX_BITS} bits: too large to check")
            mults = [(w.numerator * (den // (w.denominator * h.scale[k])), k) for w, k in terms]
            b0 = b.numerator * (den // b.denominator)
            top = max((m.bit_length() for m, _ in mults), default=0) + len(terms).bit_length()
            if den.bit_length() + sum(max(top + c, b0.bit_length()) + 1 for c in col_bits) > 2 * MAX_FORWARD_BITS:
                raise Reject(f"{lw}: neuron {v} needs more than {2 * MAX_FORWARD_BITS} bits: too large to check")
            pre = [b0] * len(inputs)
            for m, k in mults:
                pre = [p + m * x for p, x in zip(pre, h.ints[k])]
            if layer["activation"] == "relu":
                pre = [p if p > 0 else 0 for p in pre]
            g = math.gcd(den, *pre)
            pre, den = ([p // g for p in pre], den // g) if g > 1 else (pre, den)
            sizes = [abs(p).bit_length() for p in pre]
            if den.bit_length() > MAX_BITS or max(sizes, default=0) > MAX_BITS:
                raise Reject(f"{lw}: neuron {v} has an activation of more than {MAX_BITS} bits: too large to check")
            budget[0] -= den.bit_length() + sum(sizes)
            if budget[0] < 0:
                raise Reject(f"{lw}: the activations up to here take more than {MAX_FORWARD_BITS} bits: too large to check")
            ints.append(pre)
            scale.append(den)
        h = Rows(ints, scale)
        out.append(h)
    return out


# ---------------------------------------------------------------------------------------------
# the problem


def read_problem(doc):
    where = "problem"
    data = need(doc, "data", where)
    known(doc, ("title", "description", "source", "data", "networks", "claims"), where)
    inputs = matrix(need(data, "inputs", "problem.data"), "problem.data.inputs")
    known(data, ("inputs",), "problem.data")
    reject_if(not inputs or not inputs[0], "problem.data.inputs: needs at least one data point")
    entries = len(inputs) * len(inputs[0])
    nets = need(doc, "networks", where)
    reject_if(not isinstance(nets, dict) or not nets, "problem.networks: expected a non-empty object")
    networks = {}
    for name, spec in nets.items():
        w = f"problem.networks.{name}"
        width = len(inputs[0])
        layers = []
        specs = lst(need(spec, "layers", w), f"{w}.layers")
        known(spec, ("layers", "description"), w)
        for li, layer in enumerate(specs):
            lw = f"{w}.layers[{li}]"
            raw = lst(need(layer, "weights", lw), f"{lw}.weights")
            known(layer, ("weights", "bias", "activation"), lw)
            entries += len(raw) * (width + 1)
            reject_if(entries > MAX_ENTRIES, f"{lw}: more than {MAX_ENTRIES} numbers in the problem")
            weights = matrix(raw, f"{lw}.weights", cols=width)
            reject_if(not weights, f"{lw}.weights: no neurons")
            raw_bias = lst(layer.get("bias", ["0"] * len(weights)), f"{lw}.bias", len(weights))
            bias = [num(x, f"{lw}.bias[{i}]") for i, x in enumerate(raw_bias)]
            act = need(layer, "activation", lw)
            reject_if(act not in ("relu", "identity"), f"{lw}.activation: {act!r} is not 'relu' or 'identity'")
            layers.append({"weights": weights, "bias": bias, "activation": act})
            width = len(weights)
        reject_if(not layers, f"{w}.layers: no layers")
        networks[name] = layers
    claims = lst(need(doc, "claims", where), "problem.claims")
    reject_if(len(claims) > MAX_CLAIMS, f"problem.claims: more than {MAX_CLAIMS} claims")
    return inputs, networks, claims


class Problem:
    def __init__(self, doc):
        self.inputs, self.networks, self.claims = read_problem(doc)
        self.d = len(self.inputs)
        self._acts = {}

    def rows(self, name, layer, where):
        if not isinstance(name, str) or name not in self.networks:
            raise Reject(f"{where}: network {name!r} is not in the problem")
        layers = self.networks[name]
        integer(layer, f"{where}: layer", 0, len(layers))
        if name not in self._acts:
            self._acts[name] = forward(layers, self.inputs, f"problem.networks.{name}")
        return self._acts[name][layer]


# ---------------------------------------------------------------------------------------------
# the claim kinds


def check_activations(claim, verdict, w, P, where):
    A = P.rows(need(claim, "network", where), need(claim, "layer", where), where)
    E = matrix(need(claim, "equals", where), f"{where}: equals")
    shape, claimed = [len(A), P.d], [len(E), len(E[0]) if E else 0]
    same = shape == claimed and A.frac == E
    reject_if(verdict != same, f"{where}: the recomputed activations {'equal' if same else 'differ from'} the claimed matrix")
    # every witness field present is checked (symrep explain shows them), the needed ones exist
    if ints(need(w, "shape", where), f"{where}: witness.shape") != shape:
        raise Reject(f"{where}: witness.shape is not the recomputed shape {shape}")
    if ("claimed_shape" in w or shape != claimed) and \
            ints(need(w, "claimed_shape", where), f"{where}: witness.claimed_shape") != claimed:
        raise Reject(f"{where}: witness.claimed_shape is not the shape {claimed} of the claimed matrix")
    if "neuron" in w or (shape == claimed and not same):
        reject_if(shape != claimed, f"{where}: the shapes differ, so there is no differing entry to name")
        i = integer(need(w, "neuron", where), f"{where}: witness.neuron", 0, shape[0] - 1)
        j = integer(need(w, "point", where), f"{where}: witness.point", 0, P.d - 1)
        if (A.frac[i][j] == E[i][j] or num(need(w, "value", where), where) != A.frac[i][j]
                or num(need(w, "claimed", where), where) != E[i][j]):
            raise Reject(f"{where}: witness entry ({i}, {j}) is not a differing entry with the stated values")


def check_identical(claim, verdict, w, P, where):
    names = lst(need(claim, "networks", where), f"{where}: networks", 2)
    layer = need(claim, "layer", where)
    A, B = (P.rows(n, layer, where) for n in names)
    same = len(A) == len(B) and all(A.same_row(i, B, i) for i in range(len(A)))
    reject_if(verdict != same, f"{where}: the recomputed activations are {'identical' if same else 'not identical'}")
    if ints(need(w, "widths", where), f"{where}: witness.widths") != [len(A), len(B)]:
        raise Reject(f"{where}: witness.widths is not [{len(A)}, {len(B)}]")
    if "neuron" in w or (not same and len(A) == len(B)):
        reject_if(len(A) != len(B), f"{where}: the widths differ, so there is no differing entry to name")
        i = integer(need(w, "neuron", where), f"{where}: witness.neuron", 0, len(A) - 1)
        j = integer(need(w, "point", where), f"{where}: witness.point", 0, P.d - 1)
        values = [num(x, f"{where}: witness.values") for x in lst(need(w, "values", where), f"{where}: witness.values", 2)]
        if A.entry(i, j) == B.entry(i, j) or values != [A.entry(i, j), B.entry(i, j)]:
            raise Reject(f"{where}: witness entry ({i}, {j}) is not a differing entry with the stated values")


def check_exact_inverse(A, inverse, basis, pivots, where):
    """K @ (block of A at rows basis, columns pivots) == I; r^3 products, so r is bounded as symrep writes it."""
    r = len(basis)
    reject_if(r > EXACT_INVERSE_UP_TO, f"{where}.inverse: an exact inverse of rank {r}: symrep writes one up to rank "
              f"{EXACT_INVERSE_UP_TO} (beyond it, inverse_mod)")
    K = matrix(inverse, f"{where}.inverse", r, r)
    for a in range(r):
        for b in range(r):
            s = sum((K[a][t] * A.entry(basis[t], pivots[b]) for t in range(r)), Fraction(0))
            if s != (1 if a == b else 0):
                raise Reject(f"{where}: inverse times the pivot block is not the identity at ({a}, {b})")


def proved_dimension(A, w, d, where):
    """The dimension of the row span of A, proved by a dimension witness (see the design note)."""
    r = integer(need(w, "dimension", where), f"{where}.dimension", 0, min(len(A), d))
    basis = indices(need(w, "basis", where), f"{where}.basis", len(A))
    pivots = indices(need(w, "pivots", where), f"{where}.pivots", d)
    reject_if(len(basis) != r or len(pivots) != r, f"{where}: needs {r} basis rows and {r} pivot columns")
    if "inverse" in w:  # exact: K @ block == identity
        check_exact_inverse(A, w["inverse"], basis, pivots, where)
    else:  # modulo a prime q: K @ block == identity (mod q), so det(block) is not 0 mod q, hence not 0
        m = need(w, "inverse_mod", where)
        q = integer(need(m, "prime", f"{where}.inverse_mod"), f"{where}.inverse_mod.prime", 3, 2**64)
        reject_if(not is_prime(q), f"{where}.inverse_mod: {q} is not a prime")
        K = [[integer(x, f"{where}.inverse_mod.matrix", 0, q - 1) for x in lst(row, f"{where}.inverse_mod.matrix", r)]
             for row in lst(need(m, "matrix", f"{where}.inverse_mod"), f"{where}.inverse_mod.matrix", r)]
        block = []
        for t in range(r):
            s = A.scale[basis[t]]
            reject_if(s % q == 0, f"{where}.inverse_mod: the prime divides a denominator of row {basis[t]}")
            inv_s = pow(s, -1, q)
            block.append([A.ints[basis[t]][p] * inv_s % q for p in pivots])
        # Row a of K @ block is sum_t K[a][t] * block[t]. Each block row is packed into one integer with
        # a slot of `width` bits per entry; entries and products are >= 0 and every slot sum is below
        # r * q**2 < 2**width, so slots never carry into each other and unpack to the exact sums.
        width = 8 * ((r * q * q).bit_length() // 8 + 1)
        packed = [int.from_bytes(b"".join(x.to_bytes(width // 8, "little") for x in row), "little") for row in block]
        for a in range(r):
            total = sum(K[a][t] * packed[t] for t in range(r) if K[a][t])
            raw = total.to_bytes(r * width // 8, "little")
            for b in range(r):
                if int.from_bytes(raw[b * width // 8:(b + 1) * width // 8], "little") % q != (a == b):
                    raise Reject(f"{where}: inverse_mod times the pivot block is not the identity mod {q} at ({a}, {b})")
    coeffs = lst(need(w, "coefficients", where), f"{where}.coefficients", len(A))
    for i, c in enumerate(coeffs):
        cw = f"{where}.coefficients[{i}]"
        pos = {b: k for k, b in enumerate(basis)}
        cs = sparse(c, cw, len(A))
        reject_if(any(k not in pos for k in cs), f"{cw}: uses a row outside the basis")
        reject_if(not A.combination_is(i, cs, A), f"{cw}: the coefficients do not reproduce row {i}")
    return r


def check_dimension(claim, verdict, w, P, where):
    A = P.rows(need(claim, "network", where), need(claim, "layer", where), where)
    claimed = integer(need(claim, "equals", where), f"{where}: equals")
    r = proved_dimension(A, w, P.d, f"{where}: witness")
    if verdict != (r == claimed):
        raise Reject(f"{where}: the proved dimension is {r}, so the verdict must be {str(r == claimed).lower()}")


def check_in_span(mine, X, other, Y, cover, where, eps2=0):
    """Coefficients (cover) write each z_x (x in X) in the vectors z_y (y in Y), within eps if eps2 > 0."""
    entries = lst(cover, where)
    seen = set()
    for k, e in enumerate(entries):
        i, c = lst(e, f"{where}[{k}]", 2)
        i = integer(i, f"{where}[{k}]", 0, len(mine) - 1)
        if i not in X or i in seen:
            raise Reject(f"{where}[{k}]: neuron {i} is not a (new) member of its side")
        seen.add(i)
        cs = sparse(c, f"{where}[{k}]", len(other))
        if any(j not in Y for j in cs):
            raise Reject(f"{where}[{k}]: uses a neuron outside the other side")
        if not mine.within(i, cs, other, eps2):
            raise Reject(f"{where}[{k}]: the coefficients do not reproduce neuron {i}" + (" within eps" if eps2 else ""))
    if seen != set(X):
        raise Reject(f"{where}: does not cover neurons {sorted(set(X) - seen)}")


def check_outside(mine, v, other, Y, wvec, product, d, where, eps2=0):
    """w is orthogonal to every z_y (y in Y) and p = w . z_v is non-zero; with eps2 > 0, p^2 > eps2 |z_v|^2 |w|^2.

    Then dist(z_v, span z_Y) >= |p| / |w| > eps |z_v|: z_v is not within eps of that span.
    """
    w = sparse(wvec, f"{where}.orthogonal", d)
    wi = integral(w)
    p = num(product, f"{where}.product")
    for y in Y:
        if other.dot(y, wi) != 0:
            raise Reject(f"{where}: the vector is not orthogonal to neuron {y} of the other side")
    if p == 0 or mine.dot(v, wi) != p:
        raise Reject(f"{where}: the product with neuron {v} is not the stated non-zero value")
    if eps2 and not p * p > eps2 * mine.norm2(v) * sum((x * x for x in w.values()), Fraction(0)):
        raise Reject(f"{where}: the product does not show neuron {v} farther than eps from the other span")


# eps-match lower bounds: dist(z, span)^2 >= |r|^2 - |q|^2/mu, r = z - sum c_k z_k, q_k = t_k z_k . r, mu <= lambda_min(H)
# for H = (t_k z_k . t_l z_l): H - L L^T/4^e diagonally dominant by mu (Gershgorin; L L^T >= 0; interlacing for subsets).
GRAM_FIELDS = {"side", "neurons", "scales", "mu", "factor", "factor_exponent"}
def gram_bounds(A, B, w, where):
    """Check the witness's optional "gram_bounds"; return {side: ({neuron: t_k}, mu)}."""
    out = {}
    for k, g in enumerate(lst(w.get("gram_bounds", []) if isinstance(w, dict) else [], f"{where}.gram_bounds")):
        gw = f"{where}.gram_bounds[{k}]"
        known(g if isinstance(g, dict) else {"": 0}, GRAM_FIELDS, gw)
        side, e = need(g, "side", gw), integer(need(g, "factor_exponent", gw), f"{gw}.factor_exponent", 0, 4 * MAX_DIGITS)
        if side not in ("x", "y") or side in out:
            raise Reject(f"{gw}: side must be 'x' or 'y', once each")
        R = A if side == "x" else B
        N = indices(need(g, "neurons", gw), f"{gw}.neurons", len(R))
        t = [num(x, f"{gw}.scales[{i}]") for i, x in enumerate(lst(need(g, "scales", gw), f"{gw}.scales", len(N)))]
        mu = num(need(g, "mu", gw), f"{gw}.mu")
        L = [lst(r, f"{gw}.factor[{i}]", i + 1) for i, r in enumerate(lst(need(g, "factor", gw), f"{gw}.factor", len(N)))]
        if mu <= 0 or any(x <= 0 for x in t) or any(isinstance(x, bool) or not isinstance(x, int) for r in L for x in r):
            raise Reject(f"{gw}: mu and the scales must be positive, the factor integers")
        wt = [ti / R.scale[n] for ti, n in zip(t, N)]  # u_k = wt_k ints_k: integer dot products, each pair once
        dots = {(i, j): sum(map(int.__mul__, R.ints[N[i]], R.ints[N[j]])) for i in range(len(N)) for j in range(i, len(N))}
        for i in range(len(N)):  # row i of E = H - L L^T / 4^e, H = (u_i . u_j)
            E = [wt[i] * wt[j] * dots[min(i, j), max(i, j)] - Fraction(sum(map(int.__mul__, L[i], L[j])), 4**e)
                 for j in range(len(N))]
            if E[i] - sum(abs(x) for j, x in enumerate(E) if j != i) < mu:
                raise Reject(f"{gw}: row {i} of H - L L^T is not diagonally dominant by mu")
        out[side] = (dict(zip(N, t)), mu)
    return out


def check_lower_bound(mine, v, other, O, bound, gram, where, eps2):
    """|r|^2 - |q|^2 / mu > eps^2 |z_v|^2 for r = z_v - sum c_k z_k, q_k = t_k z_k . r (k remaining, non-zero)."""
    known(bound if isinstance(bound, dict) else {"": 0}, {"coefficients"}, f"{where}.bound")
    cs = sparse(need(bound, "coefficients", f"{where}.bound"), f"{where}.bound.coefficients", len(other))
    live = [k for k in sorted(O) if not other.is_zero(k)]
    if any(k not in O for k in cs) or (live and gram is None) or any(k not in gram[0] for k in live):
        raise Reject(f"{where}.bound: uses a neuron outside the other side, or a neuron no gram bound covers")
    acc, den = mine.residual(v, cs, other)  # r = acc / den
    q2 = sum((gram[0][k] * Fraction(sum(map(int.__mul__, other.ints[k], acc)), other.scale[k] * den)) ** 2 for k in live)
    if not Fraction(sum(a * a for a in acc), den * den) - (q2 / gram[1] if live else 0) > eps2 * mine.norm2(v):
        raise Reject(f"{where}.bound: the lower bound does not show neuron {v} farther than eps from the other span")


def _pair(claim, P, where):
    names = lst(need(claim, "networks", where), f"{where}: networks", 2)
    layer = need(claim, "layer", where)
    return [P.rows(n, layer, where) for n in names]


def replay(A, B, X, Y, removals, d, where, eps2=0, grams=None):
    """Remove neurons from the sets X, Y (in place) as the trace says, checking that each removal is forced."""
    for k, r in enumerate(lst(removals, f"{where}.removals")):
        rw = f"{where}.removals[{k}]"
        integer(need(r, "round", rw), f"{rw}.round")
        side, v = check_failure(A, X, B, Y, r, d, rw, eps2, grams)
        (X if side == "x" else Y).discard(v)


def proved_maximum_match(A, B, w, d, where, eps2=0):
    """Replay the removal trace and check the final pair is a match; return (X*, Y*)."""
    X, Y = set(range(len(A))), set(range(len(B)))
    replay(A, B, X, Y, need(w, "removals", where), d, where, eps2, gram_bounds(A, B, w, where))
    if sorted(X) != indices(need(w, "x", where), f"{where}.x", len(A)) or \
            sorted(Y) != indices(need(w, "y", where), f"{where}.y", len(B)):
        raise Reject(f"{where}: x and y are not what remains after the removals")
    check_in_span(A, X, B, Y, need(w, "x_in_y", where), f"{where}.x_in_y", eps2)
    check_in_span(B, Y, A, X, need(w, "y_in_x", where), f"{where}.y_in_x", eps2)
    zx, zy = sorted(i for i in X if A.is_zero(i)), sorted(j for j in Y if B.is_zero(j))
    if ints(need(w, "zero_x", where), f"{where}.zero_x") != zx or ints(need(w, "zero_y", where), f"{where}.zero_y") != zy:
        raise Reject(f"{where}: zero_x/zero_y are not the matched zero neurons")
    return sorted(X), sorted(Y)


def check_no_match(claim, verdict, w, P, where):
    A, B = _pair(claim, P, where)
    x, y = proved_maximum_match(A, B, w, P.d, f"{where}: witness")
    if verdict != (not x and not y):
        raise Reject(f"{where}: the proved maximum match is X={x}, Y={y}; the verdict does not follow")


def check_map(S, s_basis, T, t_basis, m, d, where):
    """basis rows of S times the sparse-rowed map m equal the basis rows of T, in order."""
    rows = indices(need(m, "rows", where), f"{where}.rows", d)
    M = Rows.of(matrix(need(m, "matrix", where), f"{where}.matrix", len(rows), d))
    for a, b in zip(s_basis, t_basis):
        coeffs = {t: S.entry(a, rows[t]) for t in range(len(rows))}
        if not T.combination_is(b, coeffs, M):
            raise Reject(f"{where}: does not send basis vector z{a} to z{b}")


def check_isomorphic(claim, verdict, w, P, where, pair=None):
    A, B = pair or _pair(claim, P, where)
    wa, wb = need(w, "first", where), need(w, "second", where)
    ra = proved_dimension(A, wa, P.d, f"{where}: witness.first")
    rb = proved_dimension(B, wb, P.d, f"{where}: witness.second")
    if ints(need(w, "dimensions", where), f"{where}: witness.dimensions", 2) != [ra, rb]:
        raise Reject(f"{where}: witness.dimensions is not [{ra}, {rb}]")
    if verdict != (ra == rb):
        raise Reject(f"{where}: the proved dimensions are {ra} and {rb}; the verdict does not follow")
    if verdict and need(w, "map", where) == need(w, "inverse", where) == "through the pivot blocks":
        return  # v -> v_P K_first B[second basis] sends basis to basis: K_first @ block == I was just checked
    if verdict:
        check_map(A, wa["basis"], B, wb["basis"], need(w, "map", where), P.d, f"{where}: witness.map")
        check_map(B, wb["basis"], A, wa["basis"], need(w, "inverse", where), P.d, f"{where}: witness.inverse")


def _eps2(claim, where):
    if "eps" not in claim and claim["kind"] in ("approx_match", "maximum_approx_match"):
        raise Reject(f"{where}: missing field 'eps'")  # required, as in a claim file
    e = num(claim.get("eps", "0"), f"{where}: eps")
    if e < 0:
        raise Reject(f"{where}: eps is negative")
    return e * e


def _subsets(claim, key, A, B, where, default_all=True):
    if key not in claim and default_all:
        return set(range(len(A))), set(range(len(B)))
    nx, ny = lst(need(claim, key, where), f"{where}: {key}", 2)
    return set(indices(nx, f"{where}: {key}[0]", len(A))), set(indices(ny, f"{where}: {key}[1]", len(B)))


def check_failure(A, X, B, Y, w, d, where, eps2=0, grams=None):
    """A witness that (X, Y) is not a (eps-)match: one neuron outside the other side's span."""
    side = need(w, "side", where)
    if side not in ("x", "y"):
        raise Reject(f"{where}: witness side must be 'x' or 'y'")
    mine, M, other, O = (A, X, B, Y) if side == "x" else (B, Y, A, X)
    v = integer(need(w, "neuron", where), f"{where}: neuron", 0, len(mine) - 1)
    if v not in M:
        raise Reject(f"{where}: neuron {v} is not among the claimed neurons (or was already removed)")
    if isinstance(w, dict) and "bound" in w:  # the certified path's form: a distance lower bound
        gram = (grams or {}).get("y" if side == "x" else "x")
        check_lower_bound(mine, v, other, O, w["bound"], gram, f"{where}: witness", eps2)
        return side, v
    check_outside(mine, v, other, O, need(w, "orthogonal", where), need(w, "product", where), d, f"{where}: witness", eps2)
    return side, v


def check_approx_match(claim, verdict, w, P, where):
    A, B = _pair(claim, P, where)
    eps2 = _eps2(claim, where)
    X, Y = _subsets(claim, "neurons", A, B, where)
    if verdict:
        check_in_span(A, X, B, Y, need(w, "x_in_y", where), f"{where}: x_in_y", eps2)
        check_in_span(B, Y, A, X, need(w, "y_in_x", where), f"{where}: y_in_x", eps2)
    else:
        check_failure(A, X, B, Y, w, P.d, where, eps2, gram_bounds(A, B, w, where))


def check_maximum_approx_match(claim, verdict, w, P, where):
    A, B = _pair(claim, P, where)
    x, y = proved_maximum_match(A, B, w, P.d, f"{where}: witness", _eps2(claim, where))
    claimed = tuple(sorted(s) for s in _subsets(claim, "equals", A, B, where, False))
    if verdict != ((x, y) == claimed):
        raise Reject(f"{where}: the proved maximum match is X={x}, Y={y}; the verdict does not follow")


def check_match_similarity(claim, verdict, w, P, where):
    A, B = _pair(claim, P, where)
    x, y = proved_maximum_match(A, B, w, P.d, f"{where}: witness", _eps2(claim, where))
    similarity = Fraction(len(x) + len(y), len(A) + len(B))
    if verdict != (similarity == num(need(claim, "equals", where), f"{where}: equals")):
        raise Reject(f"{where}: the proved similarity is {similarity}; the verdict does not follow")


def check_simple_match(claim, verdict, w, P, where):
    """A simple match is a non-empty match that is not the union of the matches strictly inside it."""
    A, B = _pair(claim, P, where)
    eps2 = _eps2(claim, where)
    X, Y = _subsets(claim, "neurons", A, B, where, False)
    members = {("x", i) for i in X} | {("y", j) for j in Y}
    if not members:
        reject_if(verdict or need(w, "empty", where) is not True, f"{where}: the empty match is not simple")
        return
    if not verdict and "side" in w:  # not a match at all
        check_failure(A, X, B, Y, w, P.d, where, eps2)
        return
    check_in_span(A, X, B, Y, need(w, "x_in_y", where), f"{where}: x_in_y", eps2)
    check_in_span(B, Y, A, X, need(w, "y_in_x", where), f"{where}: y_in_x", eps2)
    if verdict:
        # v survives in no match of M - {u}, for every other u: every match strictly inside M misses
        # some u, so lies in the maximum match of M - {u}, which misses v; their union misses v.
        side, v = ref = neuron_ref(need(w, "v", where), f"{where}: v")
        reject_if(ref not in members, f"{where}: v is not a neuron of the match")
        seen = set()
        for k, ex in enumerate(lst(need(w, "exclusions", where), f"{where}: exclusions")):
            ew = f"{where}: exclusions[{k}]"
            u = neuron_ref(need(ex, "drop", ew), f"{ew}.drop")
            if u not in members or u == (side, v) or u in seen:
                raise Reject(f"{ew}: drop is not a new neuron of the match other than v")
            seen.add(u)
            SX, SY = {i for i in X if ("x", i) != u}, {j for j in Y if ("y", j) != u}
            replay(A, B, SX, SY, need(ex, "removals", ew), P.d, ew, eps2)
            reject_if(v in (SX if side == "x" else SY), f"{ew}: the removals do not remove v")
        reject_if(seen != members - {(side, v)}, f"{where}: exclusions do not cover every other neuron of the match")
        return
    ux: set = set()
    uy: set = set()
    for k, part in enumerate(lst(need(w, "parts", where), f"{where}: parts")):
        pw = f"{where}: parts[{k}]"
        px = set(indices(need(part, "x", pw), f"{pw}.x", len(A)))
        py = set(indices(need(part, "y", pw), f"{pw}.y", len(B)))
        reject_if(not (px <= X and py <= Y) or (px, py) == (X, Y), f"{pw}: not strictly inside the match")
        check_in_span(A, px, B, py, need(part, "x_in_y", pw), f"{pw}.x_in_y", eps2)
        check_in_span(B, py, A, px, need(part, "y_in_x", pw), f"{pw}.y_in_x", eps2)
        ux, uy = ux | px, uy | py
    reject_if((ux, uy) != (X, Y), f"{where}: the parts do not cover the match")


def neuron_ref(v, where):
    """A neuron named as ["x", i] or ["y", j]."""
    side, i = lst(v, where, 2)
    if side not in ("x", "y"):
        raise Reject(f"{where}: side must be 'x' or 'y'")
    return side, integer(i, where)


def check_simple_matches(claim, verdict, w, P, where):
    """Every pair of neuron sets is shown a match (coefficients) or not (a failure); from the complete list
    of matches the simple ones (non-empty, not the union of the matches strictly inside) are computed."""
    A, B = _pair(claim, P, where)
    eps2 = _eps2(claim, where)
    n = len(A) + len(B)
    if n > SIMPLE_MATCHES_UP_TO:
        raise Reject(f"{where}: {n} neurons in all: symrep certifies simple_matches up to {SIMPLE_MATCHES_UP_TO}")
    if sum(len(lst(need(w, key, where), f"{where}: {key}")) for key in ("matches", "non_matches")) != 2 ** n - 1:
        raise Reject(f"{where}: not every pair of neuron sets is accounted for exactly once")
    seen, matches = set(), []
    for key in ("matches", "non_matches"):
        for k, m in enumerate(lst(need(w, key, where), f"{where}: {key}")):
            mw = f"{where}: {key}[{k}]"
            X, Y = set(indices(need(m, "x", mw), f"{mw}.x", len(A))), set(indices(need(m, "y", mw), f"{mw}.y", len(B)))
            mask = sum(1 << i for i in X) | sum(1 << (len(A) + j) for j in Y)
            reject_if(mask in seen or not mask, f"{mw}: a pair listed twice, or the empty pair")
            seen.add(mask)
            if key == "matches":
                check_in_span(A, X, B, Y, need(m, "x_in_y", mw), f"{mw}.x_in_y", eps2)
                check_in_span(B, Y, A, X, need(m, "y_in_x", mw), f"{mw}.y_in_x", eps2)
                matches.append(mask)
            else:
                check_failure(A, X, B, Y, m, P.d, mw, eps2)
    reject_if(len(seen) != 2 ** (len(A) + len(B)) - 1, f"{where}: not every pair of neuron sets is accounted for")
    # inside[S] = the union of the matches contained in S (bit masks): S itself when S is a match, else the
    # union of inside[S - {e}]; a match M is simple iff the union over e in M of inside[M - {e}] (the
    # union of the matches strictly inside M) is not M.  2^n * n steps instead of comparing all pairs.
    is_match, inside = set(matches), [0] * (2 ** n)
    for S in range(1, 2 ** n):
        inside[S] = S if S in is_match else _strict_union(S, inside, n)
    simple = {M for M in matches if _strict_union(M, inside, n) != M}
    claimed = set()
    for k, pair in enumerate(lst(need(claim, "equals", where), f"{where}: equals")):
        X, Y = (indices(s, f"{where}: equals[{k}]", n) for s, n in zip(lst(pair, f"{where}: equals[{k}]", 2), (len(A), len(B))))
        claimed.add(sum(1 << i for i in X) | sum(1 << (len(A) + j) for j in Y))
    if verdict != (claimed == simple):
        raise Reject(f"{where}: the simple matches are {len(simple)} others than claimed; the verdict does not follow")


def _strict_union(M, inside, n):
    """The union of inside[M - {e}] over e in M: for a match M, the union of the matches strictly inside it."""
    out = 0
    for e in range(n):
        if M >> e & 1:
            out |= inside[M & ~(1 << e)]
    return out


def centered(R, d):
    """Each row minus its mean over the data points."""
    out = []
    for i in range(len(R)):
        total = sum(R.ints[i])
        out.append([Fraction(x * d - total, R.scale[i] * d) for x in R.ints[i]])
    return Rows.of(out)


def _key(R, i):
    # Rows.of and forward both give the unique form with gcd(ints, scale) == 1 and scale > 0
    return tuple(R.ints[i]), R.scale[i]


def _direction(R, i):
    g = math.gcd(*R.ints[i])
    return tuple(x // g for x in R.ints[i]) if g else tuple(R.ints[i])


def check_equivalence(claim, verdict, w, P, where):  # noqa: C901 - one case per ladder level, each short, read top to bottom
    A, B = _pair(claim, P, where)
    level = need(claim, "level", where)
    if claim.get("centered", False) is True:
        A, B = centered(A, P.d), centered(B, P.d)
    elif claim.get("centered", False) is not False:
        raise Reject(f"{where}: centered must be true or false")
    if level == "isomorphic":
        return check_isomorphic(claim, verdict, w, P, where, (A, B))
    if level not in ("identical", "permutation", "scaled_permutation", "orthogonal", "similarity", "linear"):
        raise Reject(f"{where}: unknown level {level!r}")
    n = len(A)
    if n != len(B):
        if verdict or ints(need(w, "widths", where), f"{where}: widths", 2) != [n, len(B)]:
            raise Reject(f"{where}: the layers have different widths, so the verdict is false")
        return
    if level == "similarity":
        return check_similarity(A, B, verdict, w, P, where)
    if level == "identical":
        same = all(A.same_row(i, B, i) for i in range(n))
        reject_if(verdict != same, f"{where}: the activations are {'identical' if same else 'not identical'}")
    elif level in ("permutation", "scaled_permutation"):
        key = _key if level == "permutation" else lambda R, i: _direction(R, i)
        if verdict:
            perm = ints(need(w, "permutation", where), f"{where}: permutation", n)
            reject_if(sorted(perm) != list(range(n)), f"{where}: permutation is not a permutation of the neurons")
            scales = [Fraction(1)] * n
            if level == "scaled_permutation":
                scales = [num(x, f"{where}: scales") for x in lst(need(w, "scales", where), f"{where}: scales", n)]
            for i in range(n):
                if scales[i] <= 0 or not A.combination_is(i, {perm[i]: scales[i]}, B):
                    raise Reject(f"{where}: neuron {i} is not a positive multiple (or copy) of neuron {perm[i]} of B")
        else:
            i = integer(need(w, "neuron", where), f"{where}: neuron", 0, n - 1)
            ka, kb = Counter(key(A, t) for t in range(n)), Counter(key(B, t) for t in range(n))
            reject_if(ka[key(A, i)] <= kb.get(key(A, i), 0), f"{where}: neuron {i} of A has as many partners in B as copies in A")
    elif level == "orthogonal":
        if verdict:  # A = CA Bb and B = CB Bb with CA^T CA == CB^T CB give A^T A == B^T B
            CA, CB, r = coordinates(A, B, w, n, where)
            (GA, LA), (GB, LB) = gram_of_columns(CA, r), gram_of_columns(CB, r)
            for k in range(r):
                for l in range(r):
                    if GA[k][l] * LB != GB[k][l] * LA:
                        raise Reject(f"{where}: CA^T CA and CB^T CB differ at ({k}, {l})")
            if "map" in w:  # an explicit orthogonal Q with A = Q B
                reject_if(n > SQUARE_MAP_UP_TO, f"{where}: map of width {n}: symrep writes one up to width {SQUARE_MAP_UP_TO}")
                Q = check_square_map(A, B, w["map"], n, where)
                reject_if(not product_is_identity(Q, [list(c) for c in zip(*Q)]), f"{where}: the map is not orthogonal")
        else:  # |A w|^2 != |B w|^2, so A^T A != B^T B
            v = sparse(need(w, "vector", where), f"{where}: vector", P.d)
            na = sum((A.dot(i, v) ** 2 for i in range(n)), Fraction(0))
            nb = sum((B.dot(i, v) ** 2 for i in range(n)), Fraction(0))
            reject_if(na == nb, f"{where}: |A w|^2 == |B w|^2 for the witness vector")
    else:  # linear: equal widths and equal spans give an invertible M with A = M B
        X, Y = set(range(n)), set(range(n))
        if verdict:
            check_in_span(A, X, B, Y, need(w, "x_in_y", where), f"{where}: x_in_y")
            check_in_span(B, Y, A, X, need(w, "y_in_x", where), f"{where}: y_in_x")
            if "map" in w or "inverse" in w:  # an explicit invertible M with A = M B
                reject_if(n > SQUARE_MAP_UP_TO, f"{where}: map of width {n}: symrep writes one up to width {SQUARE_MAP_UP_TO}")
                M = check_square_map(A, B, need(w, "map", where), n, where)
                Minv = matrix(need(w, "inverse", where), f"{where}: inverse", n, n)
                reject_if(not product_is_identity(M, Minv), f"{where}: map times inverse is not the identity")
        else:
            check_failure(A, X, B, Y, w, P.d, where)


def coordinates(A, B, w, n, where):
    """(CA, CB, r): the witness's coordinates of A's and B's n neurons over r basis neurons of B, each row checked."""
    basis = indices(need(w, "basis", where), f"{where}: basis", n)
    r = len(basis)
    CA = matrix(need(w, "a_coordinates", where), f"{where}: a_coordinates", n, r)
    CB = matrix(need(w, "b_coordinates", where), f"{where}: b_coordinates", n, r)
    for R, C, name in ((A, CA, "A"), (B, CB, "B")):
        for i in range(n):
            if not R.combination_is(i, {basis[k]: C[i][k] for k in range(r)}, B):
                raise Reject(f"{where}: coordinates do not reproduce neuron {i} of {name}")
    return CA, CB, r


def _scaled(vectors):
    """Each rational vector as (integers, positive scale) with vector == integers / scale."""
    out = []
    for v in vectors:
        s = math.lcm(*(x.denominator for x in v)) if v else 1
        out.append(([x.numerator * (s // x.denominator) for x in v], s))
    return out


def gram_of_columns(C, r):
    """(G, L) with G / L == C^T C, in integers: sum_i C_ik C_il = sum_i N_ik N_il (L / s_i^2)."""
    rows = _scaled(C)
    L = math.lcm(*(s * s for _, s in rows)) if rows else 1
    cols = [list(c) for c in zip(*(ints for ints, _ in rows))] or [[] for _ in range(r)]
    weighted = [[x * (L // (s * s)) for x, (_, s) in zip(col, rows)] for col in cols]
    return [[sum(map(int.__mul__, weighted[k], cols[l])) for l in range(r)] for k in range(r)], L


def product_is_identity(M, K):
    """Whether M @ K == I, in integers: row i of M is N_i / s_i, column j of K is P_j / t_j."""
    rows, cols = _scaled(M), _scaled([list(c) for c in zip(*K)])
    return all(sum(map(int.__mul__, a, b)) == (s * t if i == j else 0)
               for i, (a, s) in enumerate(rows) for j, (b, t) in enumerate(cols))
# exact square roots: a value c*sqrt(q) is the pair (c, q), q >= 0 (see the design note, "sqrt")


def surd(s, where):
    """A number "p/q", or "sqrt(R)" / "R*sqrt(R)" with R such a number: the pair (c, q)."""
    if not (isinstance(s, str) and s.endswith(")") and "sqrt(" in s):
        return num(s, where), Fraction(1)
    head, _, inner = s[:-1].partition("sqrt(")
    if head and not head.endswith("*"):
        raise Reject(f"{where}: {s[:40]!r} is not 'sqrt(R)' or 'R*sqrt(R)'")
    c, q = (num(head[:-1], where) if head else Fraction(1)), num(inner, where)
    if q < 0:
        raise Reject(f"{where}: sqrt of a negative number")
    return c, q


def surd_sign(terms):
    """The exact sign of sum c*sqrt(q) over at most 4 terms (c, q): squaring with signs, as the design note says."""
    acc: dict = {}
    for c, q in terms:
        r = (math.isqrt(q.numerator), math.isqrt(q.denominator))
        if r[0] ** 2 == q.numerator and r[1] ** 2 == q.denominator:
            c, q = c * Fraction(*r), Fraction(1)
        acc[q] = acc.get(q, 0) + c
    ts = [(c, q) for q, c in acc.items() if c]
    if len(ts) <= 1:
        return (ts[0][0] > 0) - (ts[0][0] < 0) if ts else 0
    if len(ts) > 4:
        raise Reject("a comparison of more than 4 square roots")
    h = len(ts) // 2
    sp, sn = surd_sign(ts[:h]), surd_sign(ts[h:])
    if sp == 0 or sn == 0 or sp == sn:
        return sp or sn

    def square(part):
        return [(c * c * q, Fraction(1)) for c, q in part] + \
            [(2 * a[0] * b[0], a[1] * b[1]) for i, a in enumerate(part) for b in part[i + 1:]]
    return sp * surd_sign(square(ts[:h]) + [(-c, q) for c, q in square(ts[h:])])


def check_similarity(A, B, verdict, w, P, where):
    """A = s Q B (Q orthogonal, s > 0) iff A^T A == s^2 B^T B: coordinates CA, CB over basis rows of B, as for orthogonal."""
    n = len(A)
    if verdict:
        s2 = num(need(w, "scale_squared", where), f"{where}: scale_squared")
        CA, CB, r = coordinates(A, B, w, n, where)
        if s2 <= 0 or any(sum(CA[i][k] * CA[i][l] for i in range(n)) != s2 * sum(CB[i][k] * CB[i][l] for i in range(n))
                          for k in range(r) for l in range(r)):
            raise Reject(f"{where}: CA^T CA is not scale_squared (> 0) times CB^T CB")
        return
    vs = [sparse(v, f"{where}: vectors", P.d) for v in lst(need(w, "vectors", where), f"{where}: vectors")]
    reject_if(len(vs) not in (1, 2), f"{where}: vectors: one or two vectors")
    norms = [[sum((R.dot(i, v) ** 2 for i in range(n)), Fraction(0)) for R in (A, B)] for v in vs]
    if len(vs) == 1 and (norms[0][0] == 0) == (norms[0][1] == 0) or \
            len(vs) == 2 and norms[0][0] * norms[1][1] == norms[1][0] * norms[0][1]:
        raise Reject(f"{where}: the vectors do not show |A w|^2 and |B w|^2 out of proportion")


def check_cka(claim, verdict, w, P, where):
    """Linear CKA of the centered representations: CKA = |A B^T|^2 / (|A A^T| |B B^T|), Frobenius norms."""
    A, B = (centered(R, P.d) for R in _pair(claim, P, where))
    if not any(key in claim for key in ("equals", "at_least", "at_most")):
        raise Reject(f"{where}: needs at least one of 'equals', 'at_least', 'at_most'")

    def gram2(R, S):
        return sum((Fraction(sum(x * y for x, y in zip(R.ints[i], S.ints[j])), R.scale[i] * S.scale[j]) ** 2
                    for i in range(len(R)) for j in range(len(S))), Fraction(0))

    h = [gram2(A, B), gram2(A, A), gram2(B, B)]
    br = w.get("cka_squared_bracket") if isinstance(w, dict) and "hsic" not in w else None  # decided by a float bracket
    if br is None and [num(x, f"{where}: hsic") for x in lst(need(w, "hsic", where), f"{where}: hsic", 3)] != h:
        raise Reject(f"{where}: witness.hsic is not the recomputed Frobenius norms")
    if h[1] == 0 or h[2] == 0:
        if verdict or "cka_squared" in w or br is not None:
            raise Reject(f"{where}: CKA is undefined, so the claim is false (and there is no cka_squared or bracket)")
        return
    cka2 = h[0] * h[0] / (h[1] * h[2])
    if br is not None:  # the bracket must hold the recomputed value; the verdict then follows from that value
        lo, hi = (num(x, f"{where}: cka_squared_bracket") for x in lst(br, f"{where}: cka_squared_bracket", 2))
        if not lo <= cka2 <= hi:
            raise Reject(f"{where}: witness.cka_squared_bracket does not hold the recomputed CKA^2 {cka2}")
    elif num(need(w, "cka_squared", where), f"{where}: cka_squared") != cka2:
        raise Reject(f"{where}: witness.cka_squared is not the recomputed {cka2}")
    ok, squared = True, claim.get("squared", False)
    if squared not in (True, False):
        raise Reject(f"{where}: squared must be true or false")
    value = (cka2, Fraction(1)) if squared else (Fraction(1), cka2)  # CKA^2, or CKA = sqrt(CKA^2)
    for key, accept in (("equals", (0,)), ("at_least", (0, 1)), ("at_most", (-1, 0))):
        if key in claim:
            t = surd(claim[key], f"{where}: {key}")
            if t[0] < 0:
                raise Reject(f"{where}: {key}: CKA is never negative")
            ok = ok and surd_sign([value, (-t[0], t[1])]) in accept
    if verdict != ok:
        raise Reject(f"{where}: CKA^2 is {cka2}; the verdict does not follow")


# ---------------------------------------------------------------------------------------------
# spectral measures: procrustes, angular_procrustes, cca, svcca (brackets re-derived from rational
# witnesses by products; the design note gives each argument)


def _mm(X, Y):
    cols = list(zip(*Y))
    return [[sum((a * b for a, b in zip(r, c)), Fraction(0)) for c in cols] for r in X]


def _tr(X):
    return [list(c) for c in zip(*X)]


def _f2(X):
    return sum((x * x for r in X for x in r), Fraction(0))


def _eye_minus(X):
    return [[x - (i == j) for j, x in enumerate(r)] for i, r in enumerate(X)]


def _psd(P):
    """Symmetric P is positive semidefinite: exact elimination on positive pivots; an all-zero-diagonal rest is zero."""
    M, active = [list(r) for r in P], list(range(len(P)))
    while active:
        if any(M[i][i] < 0 for i in active):
            return False
        p = next((i for i in active if M[i][i] > 0), None)
        if p is None:
            return all(M[i][j] == 0 for i in active for j in active)
        active.remove(p)
        for j in active:
            f = M[j][p] / M[p][p]
            for k in active:
                M[j][k] -= f * M[p][k]
    return True


def _rat_matrix(v, where, rows=None, cols=None):
    return [list(r) for r in matrix(v, where, rows, cols)]


def spectral_nuclear(M, w, where):
    """(lower, upper, exact) of ||M||_*: zero; exact Q (Q^T Q = I, P = Q^T H symmetric PSD, Q P = H); or Z, A, B."""
    where = f"{where}: nuclear"
    if w.get("zero") is True:
        if any(x for r in M for x in r):
            raise Reject(f"{where}: M is not zero")
        return Fraction(0), Fraction(0), Fraction(0)
    H = _tr(M) if w.get("transposed") is True else M
    m, n = len(H), len(H[0])
    if "q" in w:
        Q = _rat_matrix(w["q"], f"{where}.q", m, n)
        P = _mm(_tr(Q), H)
        if any(x for x in sum(_eye_minus(_mm(_tr(Q), Q)), [])) or _mm(Q, P) != H or P != _tr(P) or not _psd(P):
            raise Reject(f"{where}: q does not prove the nuclear norm (Q^T Q = I, Q^T M symmetric PSD, Q Q^T M = M)")
        v = sum((P[i][i] for i in range(n)), Fraction(0))
        return v, v, v
    Z = _rat_matrix(need(w, "z", where), f"{where}.z", m, n)
    A = _rat_matrix(need(w, "a", where), f"{where}.a", m)
    B = _rat_matrix(need(w, "b", where), f"{where}.b", len(A[0]) if A else 0, n)
    eta, u, rho = (num(need(w, k, where), f"{where}.{k}") for k in ("eta", "u", "rho"))
    gram = _mm(_tr(Z), Z) if m >= n else _mm(Z, _tr(Z))
    if eta < 0 or eta * eta < _f2(_eye_minus(gram)) or u <= 0 or u * u < 1 + eta:
        raise Reject(f"{where}: eta < |Z^T Z - I|_F or u < sqrt(1 + eta)")
    R = [[h - x for h, x in zip(hr, xr)] for hr, xr in zip(H, _mm(A, B))]
    if rho < 0 or rho * rho < _f2(R):
        raise Reject(f"{where}: rho < |M - A B|_F")
    t = sum((z * h for zr, hr in zip(Z, H) for z, h in zip(zr, hr)), Fraction(0))
    return max(Fraction(0), t / u), (_f2(A) + _f2(B)) / 2 + (math.isqrt(min(m, n) - 1) + 1) * rho, None


def spectral_cos(t):
    """lo <= cos(t) <= hi: 40 Taylor terms and the Lagrange remainder t^82 / 82!."""
    s, term = Fraction(0), Fraction(1)
    for k in range(41):
        s += term
        term = -term * t * t / ((2 * k + 1) * (2 * k + 2))
    return s - abs(term), s + abs(term)


def spectral_verdict(claim, verdict, w, lo, hi, where, exact=None, square=None):
    """The claim's bounds on a value in [lo, hi] (exact, or sqrt(square), when given) must give the verdict."""
    bounds = [(k, num(claim[k], f"{where}: {k}")) for k in ("equals", "at_least", "at_most") if k in claim]
    if not bounds:
        raise Reject(f"{where}: needs at least one of 'equals', 'at_least', 'at_most'")
    if [num(need(w, k, where), f"{where}: witness.{k}") for k in ("lower", "upper")] != [lo, hi]:
        raise Reject(f"{where}: witness lower/upper are not the certified bracket [{lo}, {hi}]")
    got = []
    for k, t in bounds:
        if square is not None:
            got.append({"equals": t >= 0 and t * t == square, "at_least": t <= 0 or t * t <= square,
                        "at_most": t >= 0 and t * t >= square}[k])
        elif exact is not None:
            got.append({"equals": exact == t, "at_least": exact >= t, "at_most": exact <= t}[k])
        elif k == "at_least":
            got.append(True if lo >= t else False if hi < t else None)
        elif k == "at_most":
            got.append(True if hi <= t else False if lo > t else None)
        else:
            got.append(False if not lo <= t <= hi else None)
    if False not in got and None in got:
        raise Reject(f"{where}: the bracket [{lo}, {hi}] does not decide the claim")
    if verdict != (False not in got):
        raise Reject(f"{where}: the certified bracket [{lo}, {hi}] gives the verdict {False not in got}")


def _spectral_layers(claim, verdict, w, P, where, total=False):
    """The centred layers as Fraction rows, or None after checking an 'undefined' (constant layer) verdict."""
    A, B = (centered(R, P.d).frac for R in _pair(claim, P, where))
    reject_if(total and "undefined" in w, f"{where}: the Procrustes distance is defined for every layer (|Y| if X is constant)")
    if w.get("undefined") is True:
        if verdict or (any(x for r in A for x in r) and any(x for r in B for x in r)):
            raise Reject(f"{where}: no layer is constant over the data, so the measure is defined")
        return None
    return A, B


def check_procrustes(claim, verdict, w, P, where):
    """d^2 = |A_c|^2 + |B_c|^2 - 2 ||A_c B_c^T||_*; lower^2 <= d^2 <= upper^2 for every value the bracket allows."""
    layers = _spectral_layers(claim, verdict, w, P, where, total=True)
    if layers is None:
        return
    A, B = layers
    nl, nu, ex = spectral_nuclear(_mm(A, _tr(B)), need(w, "nuclear", where), where)
    total = _f2(A) + _f2(B)
    lo, hi = num(need(w, "lower", where), f"{where}: lower"), num(need(w, "upper", where), f"{where}: upper")
    sq = None if ex is None else total - 2 * ex
    if sq is not None and ("square" not in w or num(w["square"], f"{where}: square") != sq):
        raise Reject(f"{where}: witness.square is not the exact d^2 = {sq}")
    if lo < 0 or lo * lo > max(Fraction(0), total - 2 * nu) or hi < 0 or hi * hi < total - 2 * nl:
        raise Reject(f"{where}: [lower, upper] does not contain the Procrustes distance")
    spectral_verdict(claim, verdict, w, lo, hi, where, square=sq)


def check_angular_procrustes(claim, verdict, w, P, where):
    """c = ||A_c B_c^T||_* / (|A_c| |B_c|) in [c_lo, c_hi]; cos(lower) >= c_hi and cos(upper) <= c_lo."""
    layers = _spectral_layers(claim, verdict, w, P, where)
    if layers is None:
        return
    A, B = layers
    nl, nu, ex = spectral_nuclear(_mm(A, _tr(B)), need(w, "nuclear", where), where)
    p = _f2(A) * _f2(B)
    if ex is not None and ex * ex == p:  # c = 1 exactly
        return spectral_verdict(claim, verdict, w, Fraction(0), Fraction(0), where, exact=Fraction(0))
    r_lo, r_hi = (num(x, f"{where}: norm") for x in lst(need(w, "norm", where), f"{where}: norm", 2))
    if r_lo <= 0 or r_lo * r_lo > p or r_hi * r_hi < p:
        raise Reject(f"{where}: norm does not bracket |A_c| |B_c|")
    c_lo, c_hi = min(Fraction(1), nl / r_hi), min(Fraction(1), nu / r_lo)
    lo, hi = num(need(w, "lower", where), f"{where}: lower"), num(need(w, "upper", where), f"{where}: upper")
    if not 0 <= lo <= hi <= 2 or (lo > 0 and spectral_cos(lo)[0] < c_hi) or spectral_cos(hi)[1] > c_lo:  # cos falls on [0, 2]
        raise Reject(f"{where}: [lower, upper] is not certified by cos(lower) >= c_hi and cos(upper) <= c_lo")
    spectral_verdict(claim, verdict, w, lo, hi, where)


def _spectral_whitening(Ac, W, e, r, where):
    """W (n x r) with |W^T A_c A_c^T W - I|_F <= e < 1: A_c^T W is a basis of an r-dimensional subspace of the row span."""
    if len(W[0]) != r or e < 0 or e >= 1 or e * e < _f2(_eye_minus(_mm(_tr(W), _mm(Ac, _mm(_tr(Ac), W))))):
        raise Reject(f"{where}: the whitening is not within e < 1 of orthonormal with {r} columns")


def _spectral_sum(A, B, w, m, where, shift=Fraction(0), ranks=None):
    """(lower, upper) of the mean of the m correlations from the whitened bracket (widened by shift)."""
    rx, ry = ranks
    Wx = _rat_matrix(need(w, "wx", where), f"{where}.wx", len(A))
    Wy = _rat_matrix(need(w, "wy", where), f"{where}.wy", len(B))
    ex, ey, u1, l2 = (num(need(w, k, where), f"{where}.{k}") for k in ("ex", "ey", "u1", "l2"))
    _spectral_whitening(A, Wx, ex, rx, f"{where}.wx")
    _spectral_whitening(B, Wy, ey, ry, f"{where}.wy")
    if u1 <= 0 or u1 * u1 < (1 + ex) * (1 + ey) or l2 <= 0 or l2 * l2 > (1 - ex) * (1 - ey):
        raise Reject(f"{where}: u1 < sqrt((1 + ex)(1 + ey)) or l2 > sqrt((1 - ex)(1 - ey))")
    nl, nu, _ = spectral_nuclear(_mm(_mm(_tr(Wx), _mm(A, _tr(B))), Wy), need(w, "nuclear", where), where)
    lo = max(Fraction(0), nl / u1 - shift) / m
    return lo, max(lo, min(Fraction(m), nu / l2 + shift) / m)


def _cca_exact(A, B, w, P, where, ranks):
    """0 when A_c B_c^T = 0; 1 when [A_c; B_c] has rank max(ranks) (one span contains the other); else None."""
    if w.get("zero") is True:
        if any(x for r in _mm(A, _tr(B)) for x in r):
            raise Reject(f"{where}: A_c B_c^T is not zero")
        return Fraction(0)
    if "union" in w:
        if proved_dimension(Rows.of(A + B), w["union"], P.d, f"{where}: union") != max(ranks):
            raise Reject(f"{where}: union: the stacked layers have a larger rank, so neither span contains the other")
        return Fraction(1)
    return None


def check_cca(claim, verdict, w, P, where):
    """Mean CCA: ranks proved; exact 0 or 1, or sum rho in [||C||_* lower / u1, upper / l2], C = Wx^T A_c B_c^T Wy."""
    layers = _spectral_layers(claim, verdict, w, P, where)
    if layers is None:
        return
    A, B = layers
    ranks = [proved_dimension(Rows.of(M), need(w, k, where), P.d, f"{where}: {k}") for M, k in ((A, "rank_x"), (B, "rank_y"))]
    exact = _cca_exact(A, B, w, P, where, ranks)
    if exact is not None:
        return spectral_verdict(claim, verdict, w, exact, exact, where, exact=exact)
    lo, hi = _spectral_sum(A, B, w, min(ranks), where, ranks=ranks)
    spectral_verdict(claim, verdict, w, lo, hi, where)


def _svcca_side(A, s, W, e, k, where):
    """s >= ||P_T - P_T'||_2 by Davis-Kahan: b I + Wk Wk^T - A A^T and W^T A A^T W - b W^T W positive definite."""
    G = _mm(A, _tr(A))
    n = len(G)
    b, r, root_b, root_e, sx = (num(need(s, f, where), f"{where}.{f}") for f in ("b", "r", "root_b", "root_e", "s"))
    D = [num(x, f"{where}.d") for x in lst(need(s, "d", where), f"{where}.d", k)]
    Wk = _rat_matrix(need(s, "wk", where), f"{where}.wk", n, k)
    WkWk, GW = _mm(Wk, _tr(Wk)), _mm(G, W)
    S1 = [[b * (i == j) + WkWk[i][j] - G[i][j] for j in range(n)] for i in range(n)]
    WtW, WtGW = _mm(_tr(W), W), _mm(_tr(W), GW)
    S2 = [[WtGW[i][j] - b * WtW[i][j] for j in range(k)] for i in range(k)]
    for S, key in ((S1, "pd1"), (S2, "pd2")):
        c = need(s, key, where)
        L = _rat_matrix(need(c, "l", where), f"{where}.{key}.l", len(S))
        mu, sc = num(need(c, "mu", where), f"{where}.{key}.mu"), num(need(c, "scale", where), f"{where}.{key}.scale")
        LL = _mm(L, _tr(L))
        E = [[sc * S[i][j] - LL[i][j] - mu * (i == j) for j in range(len(S))] for i in range(len(S))]
        if mu <= 0 or sc <= 0 or _f2(E) >= mu * mu:
            raise Reject(f"{where}.{key}: scale S = L L^T + mu I + E with |E|_F < mu fails: not certified positive definite")
    delta = min(D) - b
    R = [[GW[i][j] - W[i][j] * D[j] for j in range(k)] for i in range(n)]
    if delta <= 0 or r < 0 or r * r < _f2(R) or root_b < 0 or root_b ** 2 < b or root_e <= 0 or root_e ** 2 > 1 - e:
        raise Reject(f"{where}: the Davis-Kahan ingredients (delta > 0, r >= |R|_F, root_b, root_e) fail")
    if sx != root_b * r / (delta * root_e):
        raise Reject(f"{where}: s is not root_b r / (delta root_e)")
    return sx


def check_svcca(claim, verdict, w, P, where):
    """SVCCA:k: top-k spans certified within s_x, s_y of the proxies (or whole row spans of rank k); mean CCA of the proxies."""
    layers = _spectral_layers(claim, verdict, w, P, where)
    if layers is None:
        return
    A, B = layers
    k = integer(need(claim, "k", where), f"{where}: k", 1, 10_000)
    ranks = [proved_dimension(Rows.of(M), need(w, f, where), P.d, f"{where}: {f}") for M, f in ((A, "rank_x"), (B, "rank_y"))]
    if k > min(ranks):
        raise Reject(f"{where}: k exceeds a rank: svcca is ill-defined, there is no verdict")
    if "x" not in w:  # both ranks are k: the top-k spans are the row spans, svcca is cca
        if ranks != [k, k]:
            raise Reject(f"{where}: without side certificates both ranks must be k")
        exact = _cca_exact(A, B, w, P, where, ranks)
        if exact is not None:
            return spectral_verdict(claim, verdict, w, exact, exact, where, exact=exact)
        lo, hi = _spectral_sum(A, B, w, k, where, ranks=ranks)
        return spectral_verdict(claim, verdict, w, lo, hi, where)
    shift = Fraction(0)
    for M, side, wk, ek, rank in ((A, "x", "wx", "ex", ranks[0]), (B, "y", "wy", "ey", ranks[1])):
        sd = need(w, side, where)
        if sd.get("whole") is True:
            if rank != k:
                raise Reject(f"{where}.{side}: 'whole' needs rank k")
            continue
        W = _rat_matrix(need(w, wk, where), f"{where}.{wk}", len(M), k)
        shift += k * _svcca_side(M, sd, W, num(need(w, ek, where), f"{where}.{ek}"), k, f"{where}.{side}")
    lo, hi = _spectral_sum(A, B, w, k, where, shift, (k, k))
    spectral_verdict(claim, verdict, w, lo, hi, where)


def _col_dot(X, Y):
    return [sum((a * b for a, b in zip(x, y)), Fraction(0)) for x, y in zip(_tr(X), _tr(Y))]


def _pwcca_bracket(X, Y, w, rx, ry, where):
    """(lower, upper) of PWCCA from residual-bounded canonical pairs (x side X of rank rx <= ry); see the design note."""
    Wx, Wy = _rat_matrix(need(w, "wx", where), f"{where}.wx", len(X)), _rat_matrix(need(w, "wy", where), f"{where}.wy", len(Y))
    ex, ey, ew, ulo, uhi, nu = (num(need(w, k, where), f"{where}.{k}") for k in ("ex", "ey", "ew", "u_lo", "u_hi", "nu"))
    _spectral_whitening(X, Wx, ex, rx, f"{where}.wx")
    _spectral_whitening(Y, Wy, ey, ry, f"{where}.wy")
    Pm, Qm = _rat_matrix(need(w, "p", where), f"{where}.p", rx, rx), _rat_matrix(need(w, "q", where), f"{where}.q", ry, rx)
    sig, e = ([num(x, f"{where}.{k}") for x in lst(need(w, k, where), f"{where}.{k}", rx)] for k in ("sigma", "e"))
    XW = _mm(_mm(X, _tr(X)), Wx)
    Gx, Gy, C = _mm(_tr(Wx), XW), _mm(_mm(_tr(Wy), _mm(Y, _tr(Y))), Wy), _mm(_tr(Wx), _mm(_mm(X, _tr(Y)), Wy))
    GP, GQ = _mm(Gx, Pm), _mm(Gy, Qm)
    R1 = [[c - t * g for c, g, t in zip(cr, gr, sig)] for cr, gr in zip(_mm(C, Qm), GP)]
    R2 = [[c - t * g for c, g, t in zip(cr, gr, sig)] for cr, gr in zip(_mm(_tr(C), Pm), GQ)]
    for i, (r1, r2, g) in enumerate(zip(_col_dot(R1, R1), _col_dot(R2, R2), map(sum, zip(_col_dot(Pm, GP), _col_dot(Qm, GQ))))):
        if e[i] < 0 or e[i] ** 2 < r1 / (1 - ex) + r2 / (1 - ey) or abs(g - 1) > ew:
            raise Reject(f"{where}: e or ew does not bound canonical pair {i + 1}")
    if not (0 <= ew < 1 and 0 < ulo and ulo * ulo * (1 + ew) <= 1 and 0 < uhi and uhi * uhi * (1 - ew) >= 1
            and nu >= 0 and nu * nu >= len(X) * _f2(X)):
        raise Reject(f"{where}: u_lo, u_hi or nu is not a bound")
    eps = [x * uhi for x in e] + [Fraction(0)]
    sig = sig + [Fraction(0)]
    if any(sig[i] - eps[i] <= sig[i + 1] + eps[i + 1] for i in range(rx)):
        raise Reject(f"{where}: the intervals sigma_i -+ eps_i are not disjoint and positive: no simple correlations")
    at = [sum((abs(x) for x in c), Fraction(0)) for c in _tr(_mm(XW, Pm))]
    lo_s = hi_s = num_lo = num_hi = Fraction(0)
    for i in range(rx):
        gap = min([sig[i] - sig[i + 1] - eps[i + 1]] + ([sig[i - 1] - eps[i - 1] - sig[i]] if i else []))
        t = Fraction(3, 2) * nu * eps[i] / gap
        lo, hi = max(Fraction(0), at[i] * ulo - t), at[i] * uhi + t
        lo_s, hi_s = lo_s + lo, hi_s + hi
        num_lo, num_hi = num_lo + lo * (sig[i] - eps[i]), num_hi + hi * min(Fraction(1), sig[i] + eps[i])
    lower = num_lo / hi_s if hi_s else Fraction(0)
    return lower, max(lower, min(Fraction(1), num_hi / lo_s) if lo_s else Fraction(1))


def check_pwcca(claim, verdict, w, P, where):
    """PWCCA: ranks proved; exact 0 or 1 (every rho equal, any weights), or the bracket of _pwcca_bracket."""
    layers = _spectral_layers(claim, verdict, w, P, where)
    if layers is None:
        return
    A, B = layers
    ranks = [proved_dimension(Rows.of(M), need(w, k, where), P.d, f"{where}: {k}") for M, k in ((A, "rank_x"), (B, "rank_y"))]
    if w.get("swap") is not (ranks[1] < ranks[0]):
        raise Reject(f"{where}: swap must be true exactly when the second layer has the smaller rank")
    exact = _cca_exact(A, B, w, P, where, ranks)
    if exact is not None:
        return spectral_verdict(claim, verdict, w, exact, exact, where, exact=exact)
    X, Y, rx, ry = (B, A, ranks[1], ranks[0]) if w["swap"] else (A, B, ranks[0], ranks[1])
    lo, hi = _pwcca_bracket(X, Y, w, rx, ry, where)
    spectral_verdict(claim, verdict, w, lo, hi, where)


def check_shape(claim, verdict, w, P, where):
    """netrep's angular shape metric: alpha 1 = angular Procrustes; alpha 0 = arccos(sum rho / sqrt(rx ry)) via CCA's bracket."""
    alpha = num(need(claim, "alpha", where), f"{where}: alpha")
    if alpha == 1:
        return check_angular_procrustes(claim, verdict, w, P, where)
    if alpha != 0:
        raise Reject(f"{where}: alpha must be 0 or 1")
    layers = _spectral_layers(claim, verdict, w, P, where)
    if layers is None:
        return
    A, B = layers
    ranks = [proved_dimension(Rows.of(M), need(w, k, where), P.d, f"{where}: {k}") for M, k in ((A, "rank_x"), (B, "rank_y"))]
    m, exact = min(ranks), _cca_exact(A, B, w, P, where, ranks)
    s_lo, s_hi = (exact * m, exact * m) if exact is not None else (m * x for x in _spectral_sum(A, B, w, m, where, ranks=ranks))
    if exact is not None and s_lo * s_lo == ranks[0] * ranks[1]:  # c = 1 exactly
        return spectral_verdict(claim, verdict, w, Fraction(0), Fraction(0), where, exact=Fraction(0))
    r_lo, r_hi = (num(x, f"{where}: norm") for x in lst(need(w, "norm", where), f"{where}: norm", 2))
    if r_lo <= 0 or r_lo * r_lo > ranks[0] * ranks[1] or r_hi * r_hi < ranks[0] * ranks[1]:
        raise Reject(f"{where}: norm does not bracket sqrt(rank_x rank_y)")
    c_lo, c_hi = min(Fraction(1), s_lo / r_hi), min(Fraction(1), s_hi / r_lo)
    lo, hi = num(need(w, "lower", where), f"{where}: lower"), num(need(w, "upper", where), f"{where}: upper")
    if not 0 <= lo <= hi <= 2 or (lo > 0 and spectral_cos(lo)[0] < c_hi) or spectral_cos(hi)[1] > c_lo:
        raise Reject(f"{where}: [lower, upper] is not certified by cos(lower) >= c_hi and cos(upper) <= c_lo")
    spectral_verdict(claim, verdict, w, lo, hi, where)
# relation, triangle, invariance: measured quantities (design note: "measured quantities")


def cka_squared(A, B, d):
    """CKA^2 of the centered rows, or None when one side is constant over the data."""
    A, B = centered(A, d), centered(B, d)

    def gram2(R, S):
        return sum((Fraction(sum(x * y for x, y in zip(R.ints[i], S.ints[j])), R.scale[i] * S.scale[j]) ** 2
                    for i in range(len(R)) for j in range(len(S))), Fraction(0))
    h = [gram2(A, B), gram2(A, A), gram2(B, B)]
    return h[0] * h[0] / (h[1] * h[2]) if h[1] and h[2] else None


def measure_value(spec, A, B, ev, d, where):
    """(c, q): the value c*sqrt(q) of a measure the checker re-derives (cka; match_similarity:EPS from its trace)."""
    name, _, arg = spec.partition(":") if isinstance(spec, str) else ("", "", "")
    if spec == "cka":
        c2 = cka_squared(A, B, d)
        return None if c2 is None else (Fraction(1), c2)
    if name == "mutual_knn" and arg.isdigit() and len(arg) <= 6:
        v = mutual_knn(A, B, int(arg), where)
        return None if v is None else (v[0], Fraction(1)) if v[0] == v[1] else ("range", *v)
    if name == "rsa" and arg in ("euclidean,pearson", "euclidean,spearman", "correlation,spearman"):
        rdm, comparison = arg.split(",")
        return rsa(A, B, rdm, comparison, where)
    if spec in ("procrustes", "angular_procrustes", "cca") or name == "svcca" and arg.isdigit() and len(arg) < 6:
        return spectral_value(name, arg, A, B, ev, d, where)
    if name == "match_similarity" and arg:
        eps = num(arg, f"{where}: eps")
        if eps < 0:
            raise Reject(f"{where}: eps is negative")
        if ev is None:  # asked only whether the value is defined (it always is)
            return True
        x, y = proved_maximum_match(A, B, ev, d, where, eps * eps)
        return Fraction(len(x) + len(y), len(A) + len(B)), Fraction(1)
    raise Reject(f"{where}: the checker cannot re-derive measure {str(spec)[:40]!r}")


class _Two(dict):
    """The problem the spectral checks read: networks "a" and "b" are these rows (any layer), over d points."""
    rows = lambda self, name, layer, where: self[name]  # noqa: E731
    d = property(lambda self: self["d"])


def spectral_value(name, arg, A, B, ev, d, where):
    """The bracket of the witness ev.spectral re-derived by check_<name> (a claim 'value >= lower' it must prove)."""
    defined = name == "procrustes" or all(any(x for r in centered(R, d).frac for x in r) for R in (A, B))  # else constant
    if ev is None or not defined:
        return defined or None
    w = need(ev, "spectral", where)
    CHECKS[name]({"networks": ["a", "b"], "layer": 0, "k": int(arg or 0), "at_least": need(w, "lower", where)}, True, w,
                 _Two(a=A, b=B, d=d), f"{where}: spectral")
    lo, hi = num(w["lower"], where), num(need(w, "upper", where), where)
    if name == "procrustes" and "square" in w and ("q" in w["nuclear"] or w["nuclear"].get("zero") is True):
        return Fraction(1), num(w["square"], where)  # d^2 exact: check_procrustes compared it with its own
    return (lo, Fraction(1)) if lo == hi else ("range", lo, hi)


def columns(R):
    return [list(c) for c in zip(*R.frac)]


def mutual_knn(A, B, k, where):
    """(lo, hi): the least and greatest mean over points of |N_A(i) & N_B(i)| / k over every tie-breaking, N_A(i) the
    k points of largest cosine to i (sign(u.v)(u.v)^2/|v|^2 orders it): sure points S (above the k-th key), tied T, m of T."""
    Ps = [columns(A), columns(B)]
    n = len(Ps[0])
    if not 1 <= k < n:
        return None  # undefined, as a zero feature vector is
    classes = []
    for P in Ps:
        norms = [sum(x * x for x in p) for p in P]
        if 0 in norms:
            return None
        rows = []
        for i, p in enumerate(P):
            key = {j: (lambda t: t * abs(t) / norms[j])(sum(x * y for x, y in zip(p, q))) for j, q in enumerate(P) if j != i}
            kth = sorted(key.values(), reverse=True)[k - 1]
            S, T = {j for j in key if key[j] > kth}, {j for j in key if key[j] == kth}
            rows.append((S, T, k - len(S)))
        classes.append(rows)
    lo = hi = 0
    for (S, T, m), (S2, T2, m2) in zip(*classes):
        # greatest: tied points sure on the other side first, then common tied ones shared; least: tied points in
        # neither class of the other side first, then common tied ones (disjoint as far as possible), then sure ones
        base, c, a1, b1 = len(S & S2), len(T & T2), len(T & S2), len(T2 & S)
        hi += base + min(m, a1) + min(m2, b1) + min(m - min(m, a1), m2 - min(m2, b1), c)
        ra, rb = len(T) - a1 - c, len(T2) - b1 - c
        lo += base + max(0, m - ra - c) + max(0, m2 - rb - c) + max(0, min(max(m - ra, 0), c) + min(max(m2 - rb, 0), c) - c)
    return Fraction(lo, n * k), Fraction(hi, n * k)


def _correlation(u, v):
    """(n^2 cov, n^2 var u, n^2 var v)."""
    n, su, sv = len(u), sum(u), sum(v)
    cu, cv = [n * x - su for x in u], [n * y - sv for y in v]
    return sum(x * y for x, y in zip(cu, cv)), sum(x * x for x in cu), sum(y * y for y in cv)


def rsa(A, B, rdm, comparison, where):
    """(c, q) with RSA = c * sqrt(q): RDM upper triangles (squared distances, or 1 - r with r = c/sqrt(q)), correlated."""
    vecs = []
    for P in (columns(A), columns(B)):
        if len(P) < 3:
            return None
        pairs = [(P[i], P[j]) for i in range(len(P)) for j in range(i + 1, len(P))]
        if rdm == "euclidean":
            u = [sum((x - y) ** 2 for x, y in zip(p, q)) for p, q in pairs]
        else:  # 1 - r is ordered as -r, and r as sign(c) c^2 / (var var)
            cs = [_correlation(p, q) for p, q in pairs]
            if any(c[1] == 0 or c[2] == 0 for c in cs):
                return None
            u = [-c[0] * abs(c[0]) / (c[1] * c[2]) for c in cs]
        if comparison == "spearman":  # average ranks of ties
            ranks = {x: Fraction(2 * sum(y < x for y in u) + sum(y == x for y in u) + 1, 2) for x in set(u)}
            u = [ranks[x] for x in u]
        vecs.append(u)
    c, vu, vv = _correlation(*vecs)
    if vu == 0 or vv == 0:
        return None
    return Fraction((c > 0) - (c < 0)), Fraction(c * c, 1) / (vu * vv)


def quantity_value(text, A, B, ev, d, where):
    """(form, terms): the value of "M", "1 - M" or "arccos M" as a sum of terms (c, q); None if undefined."""
    reject_if(not isinstance(text, str), f"{where}: measure must be text")
    form = next((f for f in ("1 - ", "arccos ") if text.startswith(f)), "")
    x = measure_value(text[len(form):], A, B, ev, d, where)
    if x is None or ev is None:
        return x
    if x[0] == "range":  # all values tie-breaking gives (mutual_knn): the witness states the same ends
        if [num(need(ev, k, where), f"{where}: {k}") for k in ("lower", "upper")] != list(x[1:]):
            raise Reject(f"{where}: lower/upper are not the recomputed range of the measure")
        return form, ("range", 1 - x[2], 1 - x[1]) if form == "1 - " else x
    if surd_sign([x, (-surd(need(ev, "value", where), f"{where}: value")[0], surd(ev["value"], where)[1])]) != 0:
        raise Reject(f"{where}: value is not the recomputed value of the measure")
    return form, ([(Fraction(1), Fraction(1)), (-x[0], x[1])] if form == "1 - " else [x])


def ends(v):
    """The least and greatest value of a range, or the exact terms twice."""
    return ([(v[1], Fraction(1))], [(v[2], Fraction(1))]) if v[0] == "range" else (v, v)


def neg(terms):
    return [(-c, q) for c, q in terms]


def side_value(side, ev, P, where):
    """One side of a relation: {value} or {measure, networks, layers}."""
    if isinstance(side, dict) and "value" in side:
        known(side, {"value"}, where)
        return "", [surd(side["value"], f"{where}: value")]
    known(side, {"measure", "networks", "layers"}, where)
    names = lst(need(side, "networks", where), f"{where}: networks", 2)
    layers = lst(need(side, "layers", where), f"{where}: layers", 2)
    A, B = (P.rows(n, k, where) for n, k in zip(names, layers))
    return quantity_value(need(side, "measure", where), A, B, ev, P.d, where)


RELATIONS = {"<=": (-1, 0), "<": (-1,), "==": (0,), ">=": (0, 1), ">": (1,)}


def check_relation(claim, verdict, w, P, where):
    _pair(claim, P, where)
    accept = RELATIONS.get(need(claim, "relation", where)) if isinstance(claim.get("relation"), str) else None
    reject_if(accept is None, f"{where}: relation must be one of {', '.join(RELATIONS)}")
    if "undefined" in w:  # CKA of a representation constant over the data: the relation is false
        if verdict or None not in [side_value(need(claim, k, where), None, P, f"{where}: {k}") for k in ("left", "right")]:
            raise Reject(f"{where}: the witness says a value is undefined, but none is (or the verdict is true)")
        return
    sides = [side_value(need(claim, k, where), need(w, k, where), P, f"{where}: {k}") for k in ("left", "right")]
    reject_if(None in sides, f"{where}: a value is undefined (CKA of a constant representation), and the witness does not say so")
    (fl, tl), (fr, tr) = sides
    if (fl == "arccos ") != (fr == "arccos "):
        raise Reject(f"{where}: an arccos quantity is compared only with another arccos quantity")
    if fl == "arccos ":  # arccos decreases: compare the cosines the other way round
        tl, tr = tr, tl
    (llo, lhi), (rlo, rhi) = ends(tl), ends(tr)
    s = surd_sign(llo + neg(rhi))  # for ranges: a sign that every tie-breaking gives, or a rejection
    s = s if s > 0 or (tl[0] != "range" and tr[0] != "range") else -1 if surd_sign(lhi + neg(rlo)) < 0 else None
    reject_if(s is None, f"{where}: the range of values tie-breaking gives does not decide the relation")
    if need(w, "sign", where) != s or verdict != (s in accept):
        raise Reject(f"{where}: left - right has sign {s}; the witness or the verdict does not follow")


def arccos_sign(a, b, c):
    """sign(arccos a + arccos b - arccos c), a, b, c in [-1, 1] as (c, q) pairs, by squares and products (design note)."""
    def sq(x):
        return x[0] * x[0] * x[1]
    ab = (a[0] * b[0], a[1] * b[1])
    s = surd_sign([a, b])
    if s <= 0:  # arccos a + arccos b >= pi, equal to pi iff a + b == 0
        return 1 if s < 0 or surd_sign([c, (Fraction(1), Fraction(1))]) != 0 else 0
    u = surd_sign([c, (-ab[0], ab[1])])
    if u >= 0:
        return 1 if u > 0 or (sq(a) != 1 and sq(b) != 1) else 0
    return surd_sign([(1 - sq(a) - sq(b) - sq(c), Fraction(1)), (2 * ab[0] * c[0], ab[1] * c[1])])


def check_triangle(claim, verdict, w, P, where):
    X, Z = _pair(claim, P, where)
    via = need(claim, "via", where)
    known(via, {"network", "layer"}, f"{where}: via")
    Y = P.rows(need(via, "network", where), need(via, "layer", where), f"{where}: via")
    text, equality = need(claim, "distance", where), claim.get("equality", False)
    if equality not in (True, False) or not isinstance(text, str) or not (text.startswith(("1 - ", "arccos ")) or
                                                                          text in ("procrustes", "angular_procrustes")):
        raise Reject(f"{where}: equality must be true or false, distance '1 - M' or 'arccos M' (M known), or a spectral one")
    pairs = {"xy": (X, Y), "yz": (Y, Z), "xz": (X, Z)}
    if "undefined" in w:
        if verdict or None not in [quantity_value(text, *pairs[k], None, P.d, where) for k in pairs]:
            raise Reject(f"{where}: the witness says a distance is undefined, but none is (or the verdict is true)")
        return
    vals = [quantity_value(text, *pairs[k], need(w, k, where), P.d, f"{where}: {k}") for k in pairs]
    reject_if(None in vals, f"{where}: a distance is undefined, and the witness does not say so")
    e, signs = [ends(v[1]) for v in vals], []  # least and greatest value (of a bracket or range; exact: twice)
    for i, j, k in ((0, 1, 2), (0, 2, 1), (1, 2, 0))[:1 if equality else 3]:  # slack d_i + d_j - d_k at both extremes
        if text.startswith("arccos "):  # cosines; brackets lie in [0, 1] by their checks; arccos falls, so corners
            low, high = arccos_sign(e[i][1][0], e[j][1][0], e[k][0][0]), arccos_sign(e[i][0][0], e[j][0][0], e[k][1][0])
        else:
            low, high = surd_sign(e[i][0] + e[j][0] + neg(e[k][1])), surd_sign(e[i][1] + e[j][1] + neg(e[k][0]))
        reject_if(low != high, f"{where}: the brackets do not decide the sign of a slack")
        signs.append(low)
    if need(w, "signs", where) != signs or verdict != (signs[0] == 0 if equality else min(signs) >= 0):
        raise Reject(f"{where}: the slacks have signs {signs}; the witness or the verdict does not follow")


_OPST = ("orthogonal", "permutation", "isotropic_scaling", "translation")
INVARIANT = {"cka": _OPST, "angular_procrustes": _OPST, "svcca": _OPST, "rsa:euclidean": _OPST, "mutual_knn": _OPST[:3],
             "procrustes": _OPST[:2] + _OPST[3:], "cca": (*_OPST, "invertible_linear"), "match_similarity": _OPST[1:3],
             "rsa:correlation": _OPST[1:3]}


def family_member(claim, verdict, w, A, B, P, where):
    """None for a true verdict proved for every member; else the witness's member (how, value), checked to be one."""
    fam, text, n = str(claim["transform"]["family"]), str(need(claim, "measure", where)).split(" ")[-1], len(A)
    key = text.split(",")[0] if text.startswith("rsa:") else text.split(":")[0]
    if verdict is True:
        if fam not in INVARIANT.get(key, ()) or quantity_value(claim["measure"], A, B, None, P.d, where) is None:
            raise Reject(f"{where}: no proof that {key[:40]} is unchanged by every {fam[:20]} map (or it is undefined)")
        return None
    m = need(w, "member", where)
    (how, v), = m.items() if isinstance(m, dict) and len(m) == 1 else [(None, None)]
    if how == "matrix":  # Q^T Q = I (0/1 entries for a permutation), or T times its inverse = I
        T, inv = matrix(v, f"{where}: member", n, n), w.get("inverse") if fam == "invertible_linear" else None
        ok = product_is_identity(*((T, matrix(inv, f"{where}: inverse", n, n)) if inv else (_tr(T), T))) and \
            (fam != "permutation" or {x for r in T for x in r} <= {0, 1})
    if {"isotropic_scaling": "scale", "translation": "translation"}.get(fam, "matrix" if fam in INVARIANT["cca"] else 0) != how \
            or how == "matrix" and not ok:
        raise Reject(f"{where}: the member is not in the family {fam[:20]}")
    return how, v


def check_invariance(claim, verdict, w, P, where):
    A, B = _pair(claim, P, where)
    t = need(claim, "transform", where)
    if not isinstance(t, dict) or len(t) != 1 or not set(t) <= {"matrix", "translation", "scale", "family"}:
        raise Reject(f"{where}: transform must be one of matrix, translation, scale, family")
    (how, v), = t.items()
    F, n = A.frac, len(A)
    if how == "family" and (member := family_member(claim, verdict, w, A, B, P, where)) is None:
        return
    how, v = member if how == "family" else (how, v)
    if how == "scale":
        c = num(v, f"{where}: scale")
        reject_if(c == 0, f"{where}: scale 0")
        TA = [[c * x for x in r] for r in F]
    elif how == "translation":
        TA = [[x + s for x in r] for r, s in zip(F, [num(x, f"{where}: translation") for x in lst(v, where, n)])]
    else:  # X -> X T: new neuron j = sum_i T[i][j] neuron i
        T = matrix(v, f"{where}: matrix", n)
        reject_if(not T or not T[0], f"{where}: empty matrix")
        TA = [[sum((T[i][j] * F[i][p] for i in range(n) if T[i][j]), Fraction(0)) for p in range(P.d)] for j in range(len(T[0]))]
    TA, text = Rows.of(TA), need(claim, "measure", where)
    if "undefined" in w:
        if verdict or None not in [quantity_value(text, R, B, None, P.d, where) for R in (A, TA)]:
            raise Reject(f"{where}: the witness says a value is undefined, but none is (or the verdict is true)")
        return
    vals = [quantity_value(text, R, B, need(w, k, where), P.d, f"{where}: {k}") for R, k in ((A, "before"), (TA, "after"))]
    reject_if(None in vals, f"{where}: a value is undefined, and the witness does not say so")
    (form, before), (_, after) = vals
    (blo, bhi), (alo, ahi) = ends(after if form == "arccos " else before), ends(before if form == "arccos " else after)
    s = surd_sign(alo + neg(bhi))  # arccos falls: its cosines are compared the other way round
    reject_if(s != surd_sign(ahi + neg(blo)), f"{where}: the brackets of before and after do not decide the sign")
    if need(w, "sign", where) != s or verdict != (s == 0):
        raise Reject(f"{where}: after - before has sign {s}; the witness or the verdict does not follow")


# ---------------------------------------------------------------------------------------------
# equal_functions: the splitting tree (the design note has the witness's shape and the proof)


def vec(v, where, n):
    return [num(x, f"{where}[{i}]") for i, x in enumerate(lst(v, where, n))]


def domain_rows(domain, n, where):
    """The domain's rows (a, b, rel): a.x <= b or a.x == b.  A box gives -x_i <= -lo, x_i <= hi."""
    if domain is None:
        return []
    rows = []
    if not lst(domain, where):  # as the claim-file reader: an empty list is neither a box nor constraints
        raise Reject(f"{where}: an empty domain (omit it for all of R^n)")
    if all(isinstance(p, list) for p in domain):
        for i, pair in enumerate(lst(domain, where, n)):
            lo, hi = vec(pair, f"{where}[{i}]", 2)
            rows += [([Fraction(-(j == i)) for j in range(n)], -lo, "<="), ([Fraction(j == i) for j in range(n)], hi, "<=")]
        return rows
    for i, c in enumerate(domain):
        w = f"{where}[{i}]"
        known(c, {"coefficients", "relation", "bound"}, w)
        a, b, rel = vec(need(c, "coefficients", w), f"{w}.coefficients", n), num(need(c, "bound", w), w), need(c, "relation", w)
        if rel == ">=":
            a, b, rel = [-q for q in a], -b, "<="
        reject_if(rel not in ("<=", "=="), f"{w}.relation: {rel!r} is not '<=', '>=' or '=='")
        rows.append((a, b, rel))
    return rows


def motzkin(rows, y):
    """Whether y (sparse) proves the rows (a, b, rel) have no common solution (design note, equal_functions (2))."""
    if not rows:
        return False
    total, rhs, strict = [Fraction(0)] * len(rows[0][0]), Fraction(0), Fraction(0)
    for i, m in y.items():
        a, b, rel = rows[i]
        if rel != "==" and m < 0:
            return False
        total = [t + m * q for t, q in zip(total, a)]
        rhs += m * b
        strict += m if rel == "<" else 0
    return not any(total) and (rhs < 0 or (rhs == 0 and strict > 0))


def affine_layer(layer, rows, n):
    """Pre-activations of a layer as affine rows [w_0..w_{n-1}, c] in the input, from its inputs' rows."""
    out = []
    for wrow, b in zip(layer["weights"], layer["bias"]):
        acc = [Fraction(0)] * n + [b]
        for w, r in zip(wrow, rows):
            if w:
                acc = [s + w * t for s, t in zip(acc, r)]
        out.append(acc)
    return out


def settle(layers, layer, inputs, n):
    """Skip identity layers; return (layer, inputs, pre-activations, undecided states)."""
    while layer < len(layers) and layers[layer]["activation"] == "identity":
        inputs, layer = affine_layer(layers[layer], inputs, n), layer + 1
    if layer == len(layers):
        return layer, inputs, None, None
    return layer, inputs, affine_layer(layers[layer], inputs, n), [None] * len(layers[layer]["weights"])


def decide_neuron(layers, state, j, ch, n):
    layer, inputs, pre, states = state
    states = states[:j] + [ch] + states[j + 1:]
    if None in states:
        return layer, inputs, pre, states
    zero = [Fraction(0)] * (n + 1)
    return settle(layers, layer + 1, [p if s == "+" else zero for p, s in zip(pre, states)], n)


def holds(row, x):
    a, b, rel = row
    v = sum((q * t for q, t in zip(a, x)), Fraction(0))
    return v < b if rel == "<" else v == b if rel == "==" else v <= b


def output_at(layers, x):
    h = list(x)
    for layer in layers:
        h = [sum((w * v for w, v in zip(row, h)), b) for row, b in zip(layer["weights"], layer["bias"])]
        h = [v if v > 0 else Fraction(0) for v in h] if layer["activation"] == "relu" else h
    return h


def check_equal_functions(claim, verdict, w, P, where):
    nets = [P.networks[n] if isinstance(n, str) and n in P.networks else None
            for n in lst(need(claim, "networks", where), f"{where}: networks", 2)]
    reject_if(None in nets, f"{where}: a network is not in the problem")
    check_function_witness(nets, claim.get("domain"), verdict, w, where)


def check_function_witness(nets, domain, verdict, w, where="witness"):
    """Whether two networks (parsed layers) are equal on the domain, as the verdict and witness say."""
    n, outs = len(nets[0][0]["weights"][0]), len(nets[0][-1]["weights"])
    if len(nets[1][0]["weights"][0]) != n or len(nets[1][-1]["weights"]) != outs:
        raise Reject(f"{where}: the networks differ in inputs or outputs")
    dom = domain_rows(domain, n, f"{where}: domain")
    if not verdict:
        return check_differing_point(nets, dom, w, n, outs, where)
    if isinstance(w, dict) and "symmetry" in w:
        known(w, {"symmetry"}, where)
        return check_symmetry(nets, need(w, "symmetry", where), f"{where}: symmetry")
    known(w, {"order", "leaves"}, where)
    order = read_order(nets, need(w, "order", where), where)
    leaves = lst(need(w, "leaves", where), f"{where}: leaves")
    paths = [read_leaf_path(leaf, len(order), f"{where}: leaves[{i}]") for i, leaf in enumerate(leaves)]
    check_covering_tree(paths, {p for p, leaf in zip(paths, leaves) if "point" in leaf}, where)
    for i, (path, leaf) in enumerate(zip(paths, leaves)):
        lw = f"{where}: leaves[{i}]"
        cell, F, G = recompute_cell(nets, dom, order, path, n, lw)
        if "empty" in leaf:
            if not motzkin(cell, sparse(leaf["empty"], f"{lw}.empty", len(cell))):
                raise Reject(f"{lw}: the multipliers do not prove the cell empty")
        else:
            check_region_leaf(leaf, cell, F, G, n, outs, lw)


def check_symmetry(nets, sym, where):
    """g's neuron perm[i] of each hidden layer is scales[i] > 0 times f's neuron i (after the previous layer's
    relabelling), the output layer unchanged; relu(c t) = c relu(t), so g = f everywhere (design note)."""
    f, g = nets
    if len(f) != len(g) or any(a["activation"] != b["activation"] for a, b in zip(f, g)):
        raise Reject(f"{where}: the networks differ in depth or activations")
    entries = lst(sym, where, len(f) - 1)
    perm = list(range(len(f[0]["weights"][0])))
    scale = [Fraction(1)] * len(perm)
    for li, (lf, lg) in enumerate(zip(f, g)):
        width = len(lf["weights"])
        reject_if(len(lg["weights"]) != width, f"{where}: layer {li + 1} has different widths")
        p, c = list(range(width)), [Fraction(1)] * width
        if li < len(f) - 1:
            e, ew = entries[li], f"{where}[{li}]"
            known(e, {"permutation", "scales"}, ew)
            p = ints(need(e, "permutation", ew), f"{ew}.permutation", width)
            c = [num(x, f"{ew}.scales") for x in lst(need(e, "scales", ew), f"{ew}.scales", width)]
            reject_if(sorted(p) != list(range(width)) or any(x <= 0 for x in c), f"{ew}: not a permutation with positive scales")
        for i in range(width):
            wg, wf = lg["weights"][p[i]], lf["weights"][i]
            if lg["bias"][p[i]] != c[i] * lf["bias"][i] or any(wg[perm[k]] * scale[k] != c[i] * wf[k] for k in range(len(perm))):
                raise Reject(f"{where}: layer {li + 1}, neuron {i} of the first network is not its scale times neuron {p[i]}")
        perm, scale = p, c


def check_differing_point(nets, dom, w, n, outs, where):
    """The witness of false: a point of the domain where the recomputed outputs differ."""
    known(w, {"point", "values"}, where)
    x = vec(need(w, "point", where), f"{where}: point", n)
    got = [output_at(net, x) for net in nets]
    if not all(holds(r, x) for r in dom) or got[0] == got[1]:
        raise Reject(f"{where}: the point is not in the domain or the networks agree there")
    if [vec(v, f"{where}: values", outs) for v in lst(need(w, "values", where), f"{where}: values", 2)] != got:
        raise Reject(f"{where}: values are not the networks' outputs at the point")


def read_order(nets, v, where):
    """Every relu neuron [network, layer, neuron] of both networks once, each network's layers in order."""
    want = [(a, l + 1, j) for a, net in enumerate(nets) for l, layer in enumerate(net)
            if layer["activation"] == "relu" for j in range(len(layer["weights"]))]
    order = [tuple(ints(e, f"{where}: order[{k}]", 3)) for k, e in enumerate(lst(v, f"{where}: order"))]
    last = {0: 0, 1: 0}
    for a, l, _ in order:
        reject_if(a not in last or l < last[a], f"{where}: order lists a network out of range or a layer after a later one")
        last[a] = l
    if sorted(order) != sorted(want) or len(set(order)) != len(order):
        raise Reject(f"{where}: order does not list every relu neuron of both networks once")
    return order


def read_leaf_path(leaf, depth, where):
    """A leaf's path over '+', '-', '0'; a leaf has a point (and decides every neuron) or is empty."""
    known(leaf, {"path", "point", "empty", "map", "zero_on_leaf"}, where)
    p = need(leaf, "path", where)
    if not isinstance(p, str) or len(p) > depth or p.strip("+-0") or ("empty" in leaf) == ("point" in leaf):
        raise Reject(f"{where} needs a path of '+', '-', '0' and exactly one of 'empty', 'point'")
    if ("point" in leaf and len(p) != depth) or ("empty" in leaf and ("map" in leaf or "zero_on_leaf" in leaf)):
        raise Reject(f"{where}: a leaf with a point decides every neuron; an empty one has no map")
    return p


def check_covering_tree(paths, pointed, where):
    """The paths form a splitting tree whose leaves' closures cover the domain (design note, step 1)."""
    s = sorted(paths)
    for a, b in zip(s, s[1:]):
        if b.startswith(a):
            raise Reject(f"{where}: leaf path {a!r} {'repeats' if a == b else 'is a prefix of ' + repr(b)}")
    reject_if(not s, f"{where}: leaves: expected a non-empty list")
    nodes = {p[:k] for p in paths for k in range(len(p) + 1)}
    below = {p[:k] for p in pointed for k in range(len(p) + 1)}
    for u in sorted(nodes - set(paths)):
        reject_if(u + "+" not in nodes or u + "-" not in nodes, f"{where}: node {u!r} lacks its '+' or '-' branch")
        if u + "0" not in nodes and not {u + "+", u + "-"} & below:
            raise Reject(f"{where}: node {u!r} has no '0' branch and no point below '+' or '-'")


def recompute_cell(nets, dom, order, path, n, where):
    """The cell of a path, its rows re-derived from the networks; (rows, F, G), the maps valid on a full path."""
    states, rows = [settle(net, 0, [[Fraction(i == j) for j in range(n + 1)] for i in range(n)], n) for net in nets], []
    for t, ch in enumerate(path):
        a, l, j = order[t]
        reject_if(states[a][0] != l - 1, f"{where}: order[{t}] is not in network {a}'s next relu layer")
        p = states[a][2][j]
        rows.append(([-v for v in p[:-1]], p[-1], "<") if ch == "+" else (p[:-1], -p[-1], "<" if ch == "-" else "=="))
        states[a] = decide_neuron(nets[a], states[a], j, ch, n)
    return dom + rows, states[0][1], states[1][1]


def check_region_leaf(leaf, cell, F, G, n, outs, where):
    """A leaf with a point: the point is in the cell; F = G on the cell, row by row or by zero_on_leaf."""
    x = vec(leaf["point"], f"{where}.point", n)
    reject_if(not all(holds(r, x) for r in cell), f"{where}: the point is not in the cell")
    if "map" in leaf:
        m = leaf["map"]
        known(m, {"weights", "bias"}, f"{where}.map")
        if [vec(r, f"{where}.map", n) for r in lst(need(m, "weights", where), f"{where}.map", outs)] != [r[:-1] for r in F] \
                or vec(need(m, "bias", where), f"{where}.map", outs) != [r[-1] for r in F]:
            raise Reject(f"{where}: map is not the first network's affine map on the cell")
    entries, given = lst(leaf.get("zero_on_leaf", []), f"{where}.zero_on_leaf"), {}
    for e in entries:
        known(e, {"output", "positive", "negative"}, f"{where}.zero_on_leaf")
        given[integer(need(e, "output", where), f"{where}.zero_on_leaf", 0, outs - 1)] = e
    differing = [k for k in range(outs) if F[k] != G[k]]
    if sorted(given) != differing or len(given) != len(entries):
        raise Reject(f"{where}: the affine maps differ at outputs {differing}, not covered by zero_on_leaf")
    for k in differing:  # F_k - G_k = u.x + u0 is neither > 0 nor < 0 anywhere on the cell
        d = [s - t for s, t in zip(F[k], G[k])]
        for side, row in (("positive", ([-q for q in d[:-1]], d[-1], "<")), ("negative", (d[:-1], -d[-1], "<"))):
            if not motzkin(cell + [row], sparse(need(given[k], side, where), f"{where}.{side}", len(cell) + 1)):
                raise Reject(f"{where}: the {side} multipliers for output {k} do not prove it")


def check_square_map(A, B, m, n, where):
    """An n x n matrix M with A = M B (row i of A is sum_j M[i][j] B[j]); returns M."""
    M = matrix(m, f"{where}: map", n, n)
    for i in range(n):
        if not A.combination_is(i, {j: M[i][j] for j in range(n)}, B):
            raise Reject(f"{where}: the map does not send B to A at neuron {i}")
    return M


CHECKS = {
    "activations": check_activations,
    "dimension": check_dimension,
    "identical": check_identical,
    "exact_match": check_approx_match,  # eps is 0 when the claim has none
    "maximum_match": check_maximum_approx_match,
    "no_match": check_no_match,
    "isomorphic": check_isomorphic,
    "approx_match": check_approx_match,
    "maximum_approx_match": check_maximum_approx_match,
    "match_similarity": check_match_similarity,
    "simple_match": check_simple_match,
    "equivalence": check_equivalence,
    "cka": check_cka,
    "equal_functions": check_equal_functions,
    "simple_matches": check_simple_matches,
    "procrustes": check_procrustes,
    "angular_procrustes": check_angular_procrustes,
    "cca": check_cca,
    "svcca": check_svcca,
    "pwcca": check_pwcca,
    "shape": check_shape,
    "relation": check_relation,
    "triangle": check_triangle,
    "invariance": check_invariance,
}


# ---------------------------------------------------------------------------------------------
# layer certificates (symrep-layer-certificate/1): data referenced by SHA-256, products by Freivalds
#
# The activation arrays stay in .npy/.npz files, named in the certificate by their SHA-256; the
# witness arrays (exact Grams, coefficient rows, Cholesky factors) are in a .npz beside it, also
# hashed.  Rows are z_i = ints_i / scale_i with scale_i the lcm of the row's denominators (the
# canonical integer frame, recomputed here from the values).  Claimed Grams G_xx = X X^T,
# G_yy = Y Y^T, G_xy = X Y^T are tested with Freivalds' method after everything is read: for
# uniform s, r in [0, 2^k)^n drawn here (secrets), s^T G r == (X^T s).(X^T r).  If G differs from
# the true product by D != 0, s^T D r is a non-zero polynomial of degree 2 in (s, r), so it vanishes
# with probability <= 2/2^k (Schwartz-Zippel); the certificate is fixed before the randomness is
# drawn (it is read in full first), so no certificate, however chosen, beats that bound; over the
# three tests (union bound) the error is <= 6/2^k, printed with the verdict.  --exhaustive
# recomputes the three products exactly instead.  Everything else is exact and deterministic:
# P = C G (coefficient rows times the verified Gram) is computed by packing rows into integers.
# A test t (neuron v, integer row x_v, coefficients C over the other side's rows, denominator D)
# has residual R = D x_v - sum C_k y_k with |R|^2 = D^2 G_vv - 2 D C.b + C.P_t (b = the cross
# products of x_v), so dist(z_v, span)^2 / |z_v|^2 = dist(R, span)^2 / (D^2 |x_v|^2).  Kept:
# |R|^2 <= eps^2 D^2 |x_v|^2.  Removed: with the other side's gram bound (shifts g, factor L,
# exponents a, b, margin m) M = 2^a G' - 2^b L L^T (G'_kl = 2^(g_k+g_l) G_kl) has every
# M_ii - sum_{j!=i} |M_ij| >= m > 0, so lambda_min(G') >= m / 2^a (Gershgorin, L L^T >= 0) and
# on every principal submatrix (interlacing); with q_k = 2^g_k (D b_k - P_tk) over the remaining
# non-zero neurons, dist(R, span)^2 = |R|^2 - q^T G'^-1 q >= |R|^2 - 2^a |q|^2 / m, which must
# exceed eps^2 D^2 |x_v|^2 (strictly; eps = 0 included).  A gram bound covering every non-zero
# neuron of a side also proves its dimension: the Gram of those rows is invertible.

LAYER_FORMAT = "symrep-layer-certificate/1"
MAX_FILE_BYTES = 2 * 1024**3
MAX_SHIFT = 1 << 14
FREIVALDS_BITS = 128
NPY_TYPES = {"<f4": "f", "<f8": "d", "|i1": "b", "<i2": "h", "<i4": "i", "<i8": "q",
             "|u1": "B", "<u2": "H", "<u4": "I", "<u8": "Q"}
NPY_HEADER = re.compile(r"\{'descr': '([<|][fiu][1248])', 'fortran_order': False, 'shape': \(((?:\d+, )*\d+,?)?\), \} *\n")


def read_bytes(base, ref, where):
    """The bytes of the file a reference names (relative to the certificate), checked against its SHA-256."""
    known(ref, {"file", "sha256", "array", "transpose"}, where)
    name, digest = need(ref, "file", where), need(ref, "sha256", where)
    if not isinstance(name, str) or not isinstance(digest, str) or len(digest) != 64:
        raise Reject(f"{where}: file and sha256 (64 hex digits) must be strings")
    path = os.path.join(base, name)
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > MAX_FILE_BYTES:
            raise Reject(f"{where}: {name!r} is not a regular file of at most {MAX_FILE_BYTES} bytes")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise Reject(f"{where}: {name!r} cannot be read ({e.strerror or e})") from None
    if hashlib.sha256(raw).hexdigest() != digest.lower():
        raise Reject(f"{where}: {name!r} does not have the stated SHA-256 (changed or wrong file)")
    return raw


def npz_members(raw, names, where):
    """The named .npy members of a .npz (zip) file, each read with its size bounded."""
    out = {}
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            for name in names:
                info = z.getinfo(name + ".npy")
                if info.file_size > 8 * MAX_ENTRIES + 65536:  # no array npy_array accepts is larger
                    raise Reject(f"{where}: member {name!r} is too large")
                with z.open(info) as fh:
                    out[name] = fh.read(info.file_size + 1)
    except KeyError as e:
        raise Reject(f"{where}: no array {str(e)[:60]} in the .npz file") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as e:
        raise Reject(f"{where}: not a readable .npz file ({str(e)[:80]})") from None
    return out


def npy_array(raw, where):
    """(shape, flat values, kind 'f' | 'i' | 'u') of a .npy: little-endian, C order, float32/64 or integers only."""
    if raw[:6] != b"\x93NUMPY" or len(raw) < 10 or raw[6] not in (1, 2, 3):
        raise Reject(f"{where}: not a .npy array")
    start = 10 if raw[6] == 1 else 12
    size = int.from_bytes(raw[8:start], "little")
    m = NPY_HEADER.fullmatch(raw[start:start + size].decode("latin-1"))
    if m is None or m.group(1) not in NPY_TYPES:
        raise Reject(f"{where}: unsupported .npy header (little-endian float32/float64/integers in C order only)")
    shape = tuple(int(t) for t in (m.group(2) or "").split(",") if t.strip())
    count = math.prod(shape)
    values = array.array(NPY_TYPES[m.group(1)])
    width = int(m.group(1)[2])
    if count > MAX_ENTRIES or values.itemsize != width or len(raw) - start - size != count * width:
        raise Reject(f"{where}: array of shape {shape} too large, or its data truncated")
    values.frombytes(raw[start + size:])
    if sys.byteorder == "big":
        values.byteswap()
    return shape, values.tolist(), m.group(1)[1:]


def data_rows(base, ref, where):
    """Activation rows (Rows, canonical scale) of the array a data reference names; rows = neurons."""
    raw = read_bytes(base, ref, where)
    member = ref.get("array")
    if member is not None:
        if not isinstance(member, str):
            raise Reject(f"{where}.array: expected the name of an array in the .npz")
        raw = npz_members(raw, [member], where)[member]
    shape, flat, kind = npy_array(raw, where)
    if len(shape) != 2 or 0 in shape:
        raise Reject(f"{where}: expected a non-empty 2-D array, got shape {shape}")
    n, d = shape
    rows = [flat[i * d:(i + 1) * d] for i in range(n)]
    if ref.get("transpose", False) is not False:
        if ref["transpose"] is not True:
            raise Reject(f"{where}.transpose: expected true or false")
        rows = [list(c) for c in zip(*rows)]
    if kind[0] != "f":
        return Rows(rows, [1] * len(rows))
    ints, scale = [], []
    for r in rows:
        if not all(map(math.isfinite, r)):
            raise Reject(f"{where}: NaN or infinity in the data")
        ints_r, s = float_row(r, 24 if kind == "f4" else 53)
        ints.append(ints_r)
        scale.append(s)
    return Rows(ints, scale)


def float_row(r, mbits):
    """(ints, scale): the least power-of-two scale making the finite binary floats r integers, exactly.

    Each x is f 2^e with 1/2 <= |f| < 1 and f a multiple of 2^-mbits, so x 2^(mbits - e_min)
    is an integer for every x of the row (a change of exponent: exact); the power of two common
    to all of them is then divided out, down to the scale 1 at most.
    """
    low = min(filter(None, map(abs, r)), default=0.0)
    if not low:
        return [0] * len(r), 1
    k = mbits - math.frexp(low)[1]
    try:
        ints = list(map(int, map(operator.mul, r, itertools.repeat(math.ldexp(1.0, k))))) if k < 1000 else None
    except OverflowError:  # x 2^k beyond float range: rationals one by one
        ints = None
    if ints is None:
        pq = [x.as_integer_ratio() for x in r]
        q = max(d for _, d in pq)
        return [p * (q // d) for p, d in pq], q
    g = functools.reduce(operator.or_, ints, 0)
    tz = min((g & -g).bit_length() - 1, k) if k > 0 else k
    if tz > 0:
        ints = list(map(operator.rshift, ints, itertools.repeat(tz)))
    elif tz < 0:
        ints = list(map(operator.lshift, ints, itertools.repeat(-tz)))
    return ints, 1 << (k - tz)


def pack(values, width):
    """sum_j values[j] 2^(width j), for |values[j]| < 2^(width-1) (width a multiple of 8)."""
    half, nb = 1 << (width - 1), width // 8
    rep = itertools.repeat
    if width >= 64 and values and -(1 << 62) < min(values) and max(values) < 1 << 62:
        # int64 slots v + 2^62 >= 0 written by array in one call, then spread to nb-byte slots
        raw = array.array("q", map(operator.add, values, rep(1 << 62))).tobytes()
        if sys.byteorder == "big":
            raw = b"".join(raw[i:i + 8][::-1] for i in range(0, len(raw), 8))
        body = bytearray(nb * len(values))
        for j in range(8):
            body[j::nb] = raw[j::8]
        half = 1 << 62
    else:
        body = b"".join(map(int.to_bytes, map(operator.add, values, rep(half)), rep(nb), rep("little")))
    return int.from_bytes(body, "little") - int.from_bytes(half.to_bytes(nb, "little") * len(values), "little")


def unpack(x, n, width):
    """The n slots of pack(values, width), exact when every |value| < 2^(width-1)."""
    half, nb = 1 << (width - 1), width // 8
    raw = (x + int.from_bytes(half.to_bytes(nb, "little") * n, "little")).to_bytes(n * nb, "little")
    return [int.from_bytes(raw[i:i + nb], "little") - half for i in range(0, n * nb, nb)]


def slot_width(*bits):
    """A slot width (multiple of 8) holding sums of products whose sizes add up to ``sum(bits)`` bits."""
    return 8 * ((sum(bits) + 2) // 8 + 1)


def top_bits(rows):
    return max((max(max(r), -min(r)).bit_length() for r in rows if r), default=0)


def combine(coeffs, packed, n, width):
    """sum_k coeffs[k] * row_k, the rows packed: one integer multiplication per non-zero coefficient."""
    return unpack(sum(c * packed[k] for k, c in coeffs if c), n, width)


def gram_exact(R, S):
    """R S^T exactly: row i is sum_j R_ij (column j of S, packed)."""
    width = slot_width(top_bits(R.ints), top_bits(S.ints), len(R.ints[0]).bit_length())
    cols = [pack(list(c), width) for c in zip(*S.ints)]
    return [combine(enumerate(r), cols, len(S), width) for r in R.ints]


class Layer:
    """The two activation matrices, the verified Grams and the gram bounds of a layer certificate."""

    def __init__(self, doc, base, exhaustive=False):
        data = need(doc, "data", "certificate")
        known(data, {"x", "y"}, "data")
        self.rows = {s: data_rows(base, need(data, s, "data"), f"data.{s}") for s in ("x", "y")}
        if len(self.rows["x"].ints[0]) != len(self.rows["y"].ints[0]):
            raise Reject("data: the two arrays have different numbers of data points")
        wf = need(doc, "witness_file", "certificate")
        raw = read_bytes(base, wf, "witness_file")
        names = set()
        grams = need(doc, "grams", "certificate")
        known(grams, {"xx", "yy", "xy"}, "grams")
        bounds = need(doc, "gram_bounds", "certificate")
        if not isinstance(bounds, dict) or not isinstance(grams, dict):
            raise Reject("grams and gram_bounds must be objects")
        known(bounds, {"x", "y"}, "gram_bounds")
        for g in bounds.values():
            names |= {x for x in (need(g, k, "gram_bounds") for k in ("neurons", "shifts", "factor")) if isinstance(x, str)}
            names |= {g["factor_product"]} if isinstance(g.get("factor_product"), str) else set()
        witnesses = [c.get("witness") for c in lst(need(doc, "claims", "certificate"), "claims") if isinstance(c, dict)]
        tables = [w.get("tables") for w in witnesses if isinstance(w, dict)]
        names |= {t[k] for ts in tables if isinstance(ts, dict) for t in ts.values() if isinstance(t, dict)
                  for k in ("dense", "shifts", "products") if isinstance(t.get(k), str)}
        names |= {need(grams, k, "grams") for k in ("xx", "yy", "xy") if isinstance(need(grams, k, "grams"), str)}
        if len(names) > 4 * MAX_CLAIMS:
            raise Reject("witness_file: too many arrays named")
        self.arrays = {k: npy_array(v, f"witness_file: {k}") for k, v in npz_members(raw, sorted(names), "witness_file").items()}
        nx, ny = len(self.rows["x"]), len(self.rows["y"])
        shapes = {"xx": (nx, nx), "yy": (ny, ny), "xy": (nx, ny)}
        self.G = {k: self.integers(grams[k], shapes[k], f"grams.{k}") for k in shapes}
        self.G["yx"] = [list(c) for c in zip(*self.G["xy"])]
        self.tests = 0  # Freivalds tests passed
        self.bounds = {s: self.gram_bound(s, g, f"gram_bounds.{s}", exhaustive) for s, g in bounds.items()}

    def integers(self, name, shape, where):
        """An integer array of the given shape (None: any length), stored as int64 limbs: sum_l limb_l 2^(62 l)."""
        if not isinstance(name, str) or name not in self.arrays:
            raise Reject(f"{where}: expected the name of an array of the witness file")
        got, flat, kind = self.arrays[name]
        k = got[-1] if len(got) == len(shape) + 1 else 1
        if kind[0] == "f" or len(got) not in (len(shape), len(shape) + 1) or \
                any(want is not None and g != want for g, want in zip(got, shape)):
            raise Reject(f"{where}: expected integers of shape {shape}, got {got}")
        vals = flat[0::k] if k > 1 else flat
        for limb in range(1, k):
            vals = list(map(operator.add, vals, map(operator.lshift, flat[limb::k], itertools.repeat(62 * limb))))
        if len(shape) == 1:
            return vals
        cols = got[1]
        return [vals[i * cols:(i + 1) * cols] for i in range(got[0])]

    def gram_bound(self, side, g, where, exhaustive):
        """({neuron: shift}, margin, a): lambda_min of (2^(g_k+g_l) G_kl) over the neurons >= margin / 2^a, checked exactly."""
        known(g, {"neurons", "shifts", "factor", "factor_product", "a", "b", "margin"}, where)
        G = self.G[side * 2]
        N = indices(self.integers(g["neurons"], (None,), where), f"{where}.neurons", len(G))
        sh = self.integers(g["shifts"], (len(N),), f"{where}.shifts")
        L = self.integers(g["factor"], (len(N), len(N)), f"{where}.factor")
        a = integer(need(g, "a", where), f"{where}.a", 0, MAX_SHIFT)
        b = integer(need(g, "b", where), f"{where}.b", 0, MAX_SHIFT)
        margin = num(need(g, "margin", where), f"{where}.margin")
        if margin <= 0 or margin.denominator != 1 or any(not 0 <= x <= MAX_SHIFT for x in sh) or \
                any(L[i][j] for i in range(len(N)) for j in range(i + 1, len(N))):
            raise Reject(f"{where}: margin must be a positive integer, shifts in range, the factor lower triangular")
        if "factor_product" in g and not exhaustive:  # claimed L L^T, Freivalds: s^T (L L^T) r == (L^T s).(L^T r)
            LLT = self.integers(g["factor_product"], (len(N), len(N)), f"{where}.factor_product")
            s, r = [secrets.randbits(FREIVALDS_BITS) for _ in N], [secrets.randbits(FREIVALDS_BITS) for _ in N]
            u, v = ([sum(map(operator.mul, col, t)) for col in zip(*L)] for t in (s, r))
            if sum(si * sum(map(operator.mul, row, r)) for si, row in zip(s, LLT)) != sum(map(operator.mul, u, v)):
                raise Reject(f"{where}.factor_product: not L L^T (Freivalds' test)")
            self.tests += 1
        else:
            width = slot_width(2 * top_bits(L), len(N).bit_length())
            cols = [pack(list(c), width) for c in zip(*L)]
            LLT = [combine(enumerate(L[i][: i + 1]), cols, len(N), width) for i in range(len(N))]
        for i, k in enumerate(N):  # row i of M = 2^a G' - 2^b L L^T
            LL = LLT[i]
            row = [(G[k][m] << (a + sh[i] + sh[j])) - (x << b) for j, (m, x) in enumerate(zip(N, LL))]
            if 2 * row[i] - sum(map(abs, row)) < margin:
                raise Reject(f"{where}: row {i} of 2^a G' - 2^b L L^T is not diagonally dominant by the margin")
        return dict(zip(N, sh)), int(margin), a

    def freivalds(self, bits):
        """Test the three claimed Grams on random vectors drawn now; return the error bound's exponent."""
        X, Y = self.rows["x"], self.rows["y"]
        width = slot_width(bits, max(top_bits(X.ints), top_bits(Y.ints)), max(len(X), len(Y)).bit_length())
        px, py = [pack(r, width) for r in X.ints], [pack(r, width) for r in Y.ints]
        d = len(X.ints[0])
        draw = lambda n: [secrets.randbits(bits) for _ in range(n)]  # noqa: E731
        sx, rx, sy, ry = draw(len(X)), draw(len(X)), draw(len(Y)), draw(len(Y))
        ux, vx = combine(enumerate(sx), px, d, width), combine(enumerate(rx), px, d, width)
        uy, vy = combine(enumerate(sy), py, d, width), combine(enumerate(ry), py, d, width)
        for name, s, r, u, v in (("xx", sx, rx, ux, vx), ("yy", sy, ry, uy, vy), ("xy", sx, ry, ux, vy)):
            left = sum(si * sum(map(operator.mul, row, r)) for si, row in zip(s, self.G[name]))
            if left != sum(map(operator.mul, u, v)):
                raise Reject(f"grams.{name}: not the product of the data (Freivalds' test)")
        self.tests += 3

    def exhaustive(self):
        X, Y = self.rows["x"], self.rows["y"]
        for name, R, S in (("xx", X, X), ("yy", Y, Y), ("xy", X, Y)):
            if gram_exact(R, S) != self.G[name]:
                raise Reject(f"grams.{name}: not the product of the data")


def coefficient_table(L, side, t, where):
    """(rows (D, {k: C_k}), dense C rows, claimed P = C G or None) of a claim's table for tests of `side`."""
    if not isinstance(t, dict):
        raise Reject(f"{where}: expected an object")
    known(t, {"dense", "shifts", "sparse", "products"}, where)
    n = len(L.rows["y" if side == "x" else "x"])
    out, C, P = [], [], None
    if "dense" in t:
        C = L.integers(t["dense"], (None, n), f"{where}.dense")
        sh = L.integers(need(t, "shifts", where), (len(C),), f"{where}.shifts")
        if any(not 0 <= s <= MAX_SHIFT for s in sh):
            raise Reject(f"{where}.shifts: out of range")
        out += [(1 << s, {k: c for k, c in enumerate(row) if c}) for s, row in zip(sh, C)]
        if "products" in t:
            P = L.integers(t["products"], (len(C), n), f"{where}.products")
    for i, e in enumerate(lst(t.get("sparse", []), f"{where}.sparse")):
        D, cs = lst(e, f"{where}.sparse[{i}]", 2)
        D = num(D, f"{where}.sparse[{i}]")
        c = sparse(cs, f"{where}.sparse[{i}]", n)
        if D <= 0 or D.denominator != 1 or any(x.denominator != 1 for x in c.values()):
            raise Reject(f"{where}.sparse[{i}]: expected a positive integer denominator and integer coefficients")
        out.append((int(D), {k: int(x) for k, x in c.items()}))
    return out, C, P


class Tests:
    """|R|^2 and |q|^2 of each referenced coefficient row, from P = C G (claimed and tested, or computed)."""

    def __init__(self, L, side, table, where, exhaustive):
        self.L, self.side, (self.table, C, claimed) = L, side, table
        self.other = "y" if side == "x" else "x"
        self.B = L.G["xy" if side == "x" else "yx"]
        self.G = L.G[self.other * 2]
        self.P = {}
        self.tests = 0
        if claimed is not None and not exhaustive:  # Freivalds: s^T P r == (s^T C) (G r), s and r drawn now
            s, r = [secrets.randbits(FREIVALDS_BITS) for _ in C], [secrets.randbits(FREIVALDS_BITS) for _ in self.G]
            Gr = [sum(map(operator.mul, row, r)) for row in self.G]
            sC = [sum(map(operator.mul, s, col)) for col in zip(*C)] if C else []
            if sum(map(operator.mul, s, (sum(map(operator.mul, row, r)) for row in claimed))) != sum(map(operator.mul, sC, Gr)):
                raise Reject(f"{where}.products: not the coefficients times the Gram (Freivalds' test)")
            self.P, self.tests = dict(enumerate(claimed)), 1
        top = max((abs(c).bit_length() for _, r in self.table for c in r.values()), default=0)
        self.width = slot_width(top, top_bits(self.G), len(self.G).bit_length())
        self.packed = None

    def row(self, r, where):
        integer(r, where, 0, len(self.table) - 1)
        if r not in self.P:
            c = self.table[r][1]
            if len(c) <= 8:  # a few coefficients (a pairing): directly, without packing the Gram
                P = [0] * len(self.G)
                for k, x in c.items():
                    P = list(map(operator.add, P, map(operator.mul, self.G[k], itertools.repeat(x))))
                self.P[r] = P
            else:
                if self.packed is None:
                    self.packed = [pack(row, self.width) for row in self.G]
                self.P[r] = combine(c.items(), self.packed, len(self.G), self.width)
        return self.table[r]

    def residual(self, v, r, O, where):
        """(D^2 |x_v|^2, |R|^2, P row) for neuron v with row r, its support within O."""
        D, c = self.row(r, where)
        if any(k not in O for k in c):
            raise Reject(f"{where}: coefficients on a neuron outside the other side's current set")
        b, P = self.B[v], self.P[r]
        z2 = D * D * self.L.G[self.side * 2][v][v]
        return z2, z2 - 2 * D * sum(x * b[k] for k, x in c.items()) + sum(x * P[k] for k, x in c.items()), D, P

    def removed(self, v, r, O, eps2, where):
        z2, R2, D, P = self.residual(v, r, O, where)
        live = [k for k in O if self.G[k][k]]
        q2, scale, m = 0, 1, 1
        if live:
            if self.other not in self.L.bounds or any(k not in self.L.bounds[self.other][0] for k in live):
                raise Reject(f"{where}: no gram bound covers the other side's remaining neurons")
            g, m, a = self.L.bounds[self.other]
            b = self.B[v]
            q2, scale = sum((D * b[k] - P[k]) ** 2 << 2 * g[k] for k in live), 1 << a
        if not eps2.denominator * (m * R2 - scale * q2) > eps2.numerator * m * z2:
            raise Reject(f"{where}: the lower bound does not show neuron {v} farther than eps from the other span")


def check_layer_match(L, claim, w, where, exhaustive=False):
    """A maximum_approx_match claim of a layer certificate: replay, then the kept neurons; return (x, y)."""
    eps2 = _eps2(claim, where)
    known(w, {"tables", "removals", "x_in_y", "y_in_x", "x", "y", "zero_x", "zero_y"}, f"{where}: witness")
    tables = need(w, "tables", where)
    known(tables, {"x", "y"}, f"{where}: tables")
    T = {s: Tests(L, s, coefficient_table(L, s, need(tables, s, where), f"{where}: tables.{s}"),
                  f"{where}: tables.{s}", exhaustive) for s in ("x", "y")}
    cur = {"x": set(range(len(L.rows["x"]))), "y": set(range(len(L.rows["y"])))}
    for k, e in enumerate(lst(need(w, "removals", where), f"{where}: removals")):
        rw = f"{where}: removals[{k}]"
        side, v, r = lst(e, rw, 3)
        if side not in ("x", "y") or integer(v, rw) not in cur[side]:
            raise Reject(f"{rw}: not a neuron still on side x or y")
        other = "y" if side == "x" else "x"
        if isinstance(r, dict):  # an exact orthogonal vector, as in the embedded form
            known(r, {"orthogonal", "product"}, rw)
            check_outside(L.rows[side], v, L.rows[other], cur[other], need(r, "orthogonal", rw), need(r, "product", rw),
                          len(L.rows[side].ints[0]), rw, eps2)
        else:
            T[side].removed(v, r, cur[other], eps2, rw)
        cur[side].discard(v)
    for side, key in (("x", "x_in_y"), ("y", "y_in_x")):
        other = cur["y" if side == "x" else "x"]
        seen = set()
        for k, e in enumerate(lst(need(w, key, where), f"{where}: {key}")):
            v, r = lst(e, f"{where}: {key}[{k}]", 2)
            if integer(v, f"{where}: {key}[{k}]") not in cur[side] or v in seen:
                raise Reject(f"{where}: {key}[{k}]: neuron {v} is not a (new) member of its side")
            seen.add(v)
            z2, R2, _, _ = T[side].residual(v, r, other, f"{where}: {key}[{k}]")
            if R2 * eps2.denominator > eps2.numerator * z2:
                raise Reject(f"{where}: {key}[{k}]: the coefficients do not reproduce neuron {v} within eps")
        if seen != cur[side]:
            raise Reject(f"{where}: {key} does not cover neurons {sorted(cur[side] - seen)[:10]}")
    x, y = sorted(cur["x"]), sorted(cur["y"])
    if ints(need(w, "x", where), f"{where}: x") != x or ints(need(w, "y", where), f"{where}: y") != y:
        raise Reject(f"{where}: x and y are not what remains after the removals")
    L.tests += T["x"].tests + T["y"].tests
    zx, zy = [i for i in x if not L.G["xx"][i][i]], [j for j in y if not L.G["yy"][j][j]]
    if ints(need(w, "zero_x", where), f"{where}: zero_x") != zx or ints(need(w, "zero_y", where), f"{where}: zero_y") != zy:
        raise Reject(f"{where}: zero_x/zero_y are not the matched zero neurons")
    return x, y


def check_layer_claim(L, claim, where, exhaustive=False):
    """Verdict of one claim of a layer certificate: maximum_approx_match (equals [x, y]) or dimension."""
    kind, verdict = need(claim, "kind", where), need(claim, "verdict", where)
    if not isinstance(verdict, bool) or not isinstance(need(claim, "id", where), str):
        raise Reject(f"{where}: verdict must be true or false, the id a string")
    if kind == "dimension":
        known(claim, {"id", "kind", "side", "equals", "verdict", "witness"}, where)
        side = need(claim, "side", where)
        if side not in ("x", "y"):
            raise Reject(f"{where}: side must be 'x' or 'y'")
        nonzero = [k for k in range(len(L.rows[side])) if L.G[side * 2][k][k]]
        if nonzero and (side not in L.bounds or any(k not in L.bounds[side][0] for k in nonzero)):
            raise Reject(f"{where}: the gram bound does not cover every non-zero neuron")
        proved = len(nonzero)
    elif kind == "maximum_approx_match":
        known(claim, {"id", "kind", "eps", "equals", "verdict", "witness"}, where)
        proved = check_layer_match(L, claim, need(claim, "witness", where), where, exhaustive)
        claimed = lst(need(claim, "equals", where), f"{where}: equals", 2)
        claimed = tuple(sorted(indices(c, f"{where}: equals", len(L.rows[s]))) for c, s in zip(claimed, "xy"))
        if verdict != (proved == claimed):
            raise Reject(f"{where}: the proved maximum match is X={proved[0]}, Y={proved[1]}; the verdict does not follow")
        return
    else:
        raise Reject(f"{where}: unknown claim kind {kind!r} in a layer certificate")
    if verdict != (proved == integer(need(claim, "equals", where), f"{where}: equals")):
        raise Reject(f"{where}: the proved dimension is {proved}; the verdict does not follow")


def check_layer_certificate(doc, base, exhaustive=False):
    """Per-claim reports of a layer certificate (everything read before any randomness is drawn)."""
    known(doc, {"format", "generator", "layer", "data", "witness_file", "grams", "gram_bounds", "claims"}, "certificate")
    L = Layer(doc, base, exhaustive)
    claims = lst(need(doc, "claims", "certificate"), "claims")
    if not 0 < len(claims) <= MAX_CLAIMS:
        raise Reject(f"claims: expected 1 to {MAX_CLAIMS} claims")
    ids = [c.get("id") if isinstance(c, dict) else None for c in claims]
    if len(set(map(str, ids))) != len(ids):
        raise Reject("claims: claim ids are not distinct")
    if exhaustive:
        L.exhaustive()
    else:
        L.freivalds(FREIVALDS_BITS)
    reports = []
    for claim in claims:
        cid = claim.get("id") if isinstance(claim, dict) else None
        try:
            check_layer_claim(L, claim, f"claim {cid!r}", exhaustive)
            reports.append({"id": cid, "kind": claim["kind"], "verdict": claim["verdict"], "valid": True,
                            "as_expected": True, "message": "checked"})
        except Reject as e:
            reports.append({"id": cid, "kind": claim.get("kind") if isinstance(claim, dict) else None,
                            "verdict": claim.get("verdict") if isinstance(claim, dict) else None,
                            "valid": False, "message": str(e)})
    # each Freivalds test errs with probability <= 2 / 2^bits (degree 2): union bound over all of them
    bound = FREIVALDS_BITS - 1 - (L.tests - 1).bit_length()
    how = "every product recomputed exactly" if exhaustive else \
        f"products by Freivalds' test ({L.tests} tests), error probability < 2^-{bound}"
    for r in reports:
        if r["valid"]:
            r["message"] = f"checked ({how})"
    return reports, how


# ---------------------------------------------------------------------------------------------
# parametric certificates (symrep-parametric-certificate/1)
#
# Entries are rational functions {"num"/"den": [[exponents, "c"], ...]}; a claim holds when it holds at
# every admissible value (the assumption's set minus the poles).  Why the evidence suffices (details:
# docs/parametric.md): identities of polynomials (Fraction lists) are expanded exactly; nothing is
# divided, every denominator met is a product of denominators shown root-free on the piece, so the
# identities hold at each point of it.  Sturm: V(a) - V(b) counts the distinct roots in (a, b] of a
# squarefree P.  An end is q (the root of t - q) or m with one root alpha in (a, b), bisected until P's
# roots there are those of gcd(P, m) (at most alpha); P has no root on (lo, hi) iff its roots in
# (lo.a, hi.b) are those at lo and hi, and then its sign is P(sample).  A piece's proof is a numeric
# kind's witness with rational-function entries, valid at each of its points (coefficients; w killing
# one side but not z_v; removal traces; basis chains; root-free differences; positive symmetry scales).
# Pieces cover the admissible set (shared ends, samples inside, left-out points poles or the 0 of the
# assumption).  A counterexample is substituted and its numeric witness checked by the kind's check.
# Two parameters (p_plane): columns over the a-line's pieces; over an interval, curves b = r(a) strictly
# increasing on it (Sturm on r' - r) cut the column into sectors (Ctx2: a sign on a sector, why in its docstring)
# and curves (a one-parameter piece at b = r(a)); over a rational point, the b-line's pieces at that a.

PARAMETRIC_FORMAT = "symrep-parametric-certificate/1"
ASSUMED = {"positive": ("0", None), "negative": (None, "0"), "nonzero": (None, None), "real": (None, None)}
MAX_PDEG, REFINE = 4096, 4000  # a polynomial's length; bisections of an end
ZERO: tuple = ([], [Fraction(1)])
ONE: tuple = ([Fraction(1)], [Fraction(1)])
sgn = lambda x: (x > 0) - (x < 0)  # noqa: E731


def ptrim(p):
    return p[:max((i + 1 for i, c in enumerate(p) if c), default=0)]

def padd(p, q, c=1):
    return ptrim([(p[i] if i < len(p) else 0) + c * (q[i] if i < len(q) else 0) for i in range(max(len(p), len(q)))])

def pmul(p, q):
    if len(p) + len(q) > MAX_PDEG:
        raise Reject(f"a polynomial of degree above {MAX_PDEG}")
    return ptrim([sum((p[i] * q[k - i] for i in range(max(0, k - len(q) + 1), min(k + 1, len(p)))), Fraction(0))
                  for k in range(len(p) + len(q) - 1)])

def pat(p, x):
    return functools.reduce(lambda v, c: v * x + c, reversed(p), Fraction(0))

def pdivmod(p, q):
    quo, r = [Fraction(0)] * max(len(p) - len(q) + 1, 0), list(p)
    while len(r) >= len(q):
        quo[len(r) - len(q)] = f = r[-1] / q[-1]
        r = ptrim([c - f * q[i - len(r) + len(q)] if i >= len(r) - len(q) else c for i, c in enumerate(r)])
    return ptrim(quo), r

def pgcd(p, q):
    while q:
        p, q = q, pdivmod(p, q)[1]
    return p

def nroots(p, a, b):
    """Distinct real roots of p != 0 in the open interval (a, b) (None: infinite), by Sturm."""
    deriv = lambda f: [i * c for i, c in enumerate(f)][1:]  # noqa: E731
    chain = [pdivmod(p, pgcd(p, deriv(p)))[0]]
    while len(chain) == 1 or chain[-1]:
        chain.append(deriv(chain[0]) if len(chain) == 1 else [-c for c in pdivmod(chain[-2], chain[-1])[1]])
    changes = lambda x, neg: (lambda s: sum((u > 0) != (v > 0) for u, v in zip(s, s[1:])))(  # noqa: E731
        [v for v in (c[-1] * (-1) ** (neg and len(c) % 2 == 0) if x is None else pat(c, x) for c in chain[:-1]) if v])
    return changes(a, True) - changes(b, False) - (b is not None and pat(p, b) == 0)

class Alg:
    """The one root of m in (a, b), q once known exactly; a rational q is the root of t - q in (q - 1, q + 1)."""
    def __init__(self, v, where):
        if not isinstance(v, dict):
            q = num(v, where)
            self.m, self.a, self.b, self.q = [-q, Fraction(1)], q - 1, q + 1, q
            return
        known(v, ("root", "in"), where)
        self.m, self.q = ptrim([num(c, where) for c in lst(need(v, "root", where), where)]), None
        self.a, self.b = (num(x, where) for x in lst(need(v, "in", where), where, 2))
        if len(self.m) > MAX_PDEG or not self.a < self.b or not pat(self.m, self.a) * pat(self.m, self.b) \
                or nroots(self.m, self.a, self.b) != 1:
            raise Reject(f"{where}: not a polynomial with exactly one root in the interval")
    def refine(self):
        mid = (self.a + self.b) / 2
        if self.q is not None or pat(self.m, mid) == 0:
            self.q = mid if self.q is None else self.q
            self.a, self.b = (self.a + self.q) / 2, (self.q + self.b) / 2
        else:
            self.a, self.b = (mid, self.b) if (pat(self.m, mid) > 0) == (pat(self.m, self.a) > 0) else (self.a, mid)
    def zero(self, p):
        return pat(p, self.q) == 0 if self.q is not None else nroots(pgcd(self.m, p), self.a, self.b) == 1
    def isolate(self, p, where):  # bisect until p's roots in (a, b) are at most alpha
        for _ in range(REFINE):
            if nroots(p, self.a, self.b) == self.zero(p):
                return
            self.refine()
        raise Reject(f"{where}: cannot separate the roots of a polynomial from an end")
    def cmp(self, s):  # the sign of alpha - s
        for _ in range(REFINE):
            if self.q is not None or not self.a < s < self.b or pat(self.m, s) == 0:
                return sgn(self.q - s) if self.q is not None else 1 if s <= self.a else -1 if s >= self.b else 0
            self.refine()
        raise Reject("an algebraic end is too close to a sample")

class Ctx:
    """A piece of the parameter line: the open interval (lo, hi) with sample s, or the point lo (s None)."""
    def __init__(self, lo, hi=None, s=None, where="piece"):
        self.lo, self.hi = (None if e is None else Alg(e, where) for e in (lo, hi))
        self.s, self.where = s, where
        if s is not None and not ((self.lo is None or self.lo.cmp(s) < 0) and (self.hi is None or self.hi.cmp(s) > 0)):
            raise Reject(f"{where}: the sample is not inside the interval")
    def point(self):
        if self.lo is None:
            raise Reject(f"{self.where}: a point piece without its point")
        return self.lo
    def zero(self, p):
        return not p if self.s is not None else self.point().zero(p)
    def sign(self, p):
        if self.zero(p):
            return 0
        ends = [e for e in ((self.lo,) if self.s is None else (self.lo, self.hi)) if e is not None]
        for e in ends:
            e.isolate(p, self.where)
        if self.s is None:
            return sgn(pat(p, (self.point().a + self.point().b) / 2))
        if nroots(p, self.lo and self.lo.a, self.hi and self.hi.b) - sum(e.zero(p) for e in ends):
            raise Reject(f"{self.where}: a polynomial the verdict depends on has a root inside the interval")
        return sgn(pat(p, self.s))

def rf_add(x, y, c=1):
    return (padd(x[0], y[0], c), x[1]) if x[1] == y[1] else (padd(pmul(x[0], y[1]), pmul(y[0], x[1]), c), pmul(x[1], y[1]))

def rf_mul(x, y):
    return ZERO if not x[0] or not y[0] else (pmul(x[0], y[0]), pmul(x[1], y[1]))

def dot(w, z):
    return functools.reduce(lambda acc, ab: rf_add(acc, rf_mul(*ab)), zip(w, z), ZERO)

def rf(v, ctx, where):
    """A witness entry "p/q" or [numerator, denominator] (coefficients lowest first), its denominator without root."""
    if hasattr(ctx, "rf"):  # a sector of the plane: entries are polynomials in two parameters
        return ctx.rf(v, where)
    n, d = ((ptrim([num(c, where) for c in lst(x, where)]) for x in lst(v, where, 2)) if isinstance(v, list)
            else ([num(v, where)], [Fraction(1)]))
    if len(n) > MAX_PDEG or len(d) > MAX_PDEG or ctx.sign(d) == 0:
        raise Reject(f"{where}: a denominator vanishes on the piece (or is too long)")
    return ptrim(n), d

def entry(v, k, where):
    """A network entry "p/q" or {"num", "den"} as two lists of (exponents, c)."""
    if not isinstance(v, dict):
        return [((0,) * k, num(v, where))], [((0,) * k, Fraction(1))]
    known(v, ("num", "den"), where)
    return [[(tuple(integer(x, where, 0, 64) for x in lst(e, where, k)), num(c, where)) for e, c in
             (lst(t, where, 2) for t in lst(need(v, key, where), where))] for key in ("num", "den")]

def restrict(e, k, where):  # as a rational function of parameter k alone
    if any(c and sum(ex) != ex[k] for part in e for ex, c in part):
        raise Reject(f"{where}: the claim's networks use another parameter")
    out = tuple(ptrim(functools.reduce(padd, ([0] * ex[k] + [c] for ex, c in part), [])) for part in e)
    if not out[1]:
        raise Reject(f"{where}: a denominator is 0")
    return out

def p_names(claim, where):
    return [need(claim, "network", where)] if "network" in claim else lst(need(claim, "networks", where), where, 2)

def p_nets(claim, P, where, f=lambda e: e):
    """The claim's networks (entries mapped by f)."""
    names = p_names(claim, where)
    if not all(isinstance(n, str) and n in P.nets for n in names):
        raise Reject(f"{where}: a network is not in the problem")
    return {n: [{**l, "weights": [[f(e) for e in r] for r in l["weights"]], "bias": [f(e) for e in l["bias"]]}
                for l in P.nets[n]] for n in names}

def p_forward(layers, cols, ctx, where):
    """Activation rows (rational functions) of every layer on the piece; each entry's denominator has no root."""
    h, out = cols, [cols]
    for li, l in enumerate(layers):
        if any(ctx.sign(x[1]) == 0 for x in [x for r in l["weights"] for x in r] + l["bias"]):
            raise Reject(f"{where}: layer {li + 1} has a pole on the piece")
        pre = [[rf_add(c, dot(row, [hk[j] for hk in h])) for j in range(len(h[0]))] for row, c in zip(l["weights"], l["bias"])]
        h = [[x if l["activation"] != "relu" or ctx.sign(x[0]) * ctx.sign(x[1]) > 0 else ZERO for x in r] for r in pre]
        out.append(h)
    return out

def p_cover(ctx, mine, S, other, T, cover, where):
    """Coefficients write every z_v (v in S) in the z_u (u in T) at every point of the piece."""
    seen = []
    for v, cs in (lst(e, where, 2) for e in lst(cover, where)):
        acc = list(mine[integer(v, where, 0, len(mine) - 1)])
        for u, c in (lst(x, where, 2) for x in lst(cs, where)):
            if integer(u, where, 0, len(other) - 1) not in T:
                raise Reject(f"{where}: z{v} uses a vector outside the other side")
            acc = [rf_add(a, rf_mul(rf(c, ctx, where), z), -1) for a, z in zip(acc, other[u])]
        if not all(ctx.zero(a[0]) for a in acc):
            raise Reject(f"{where}: the coefficients do not reproduce z{v}")
        seen.append(v)
    if sorted(seen) != sorted(S):
        raise Reject(f"{where}: does not cover exactly the vectors {sorted(S)}")

def p_outside(ctx, mine, v, S, other, T, w, where):
    """v in S, and w kills every z_u (u in T) but not z_v at any point of the piece: z_v is outside their span."""
    if integer(v, where, 0, len(mine) - 1) not in S:
        raise Reject(f"{where}: z{v} is not in its set")
    w = [rf(x, ctx, where) for x in lst(w, where, len(mine[v]))]
    if not all(ctx.zero(dot(w, other[u])[0]) for u in T) or ctx.sign(dot(w, mine[v])[0]) == 0:
        raise Reject(f"{where}: w is not orthogonal to the other side, or w.z vanishes")

def p_dimension(ctx, A, w, where):
    basis = indices(need(w, "basis", where), f"{where}.basis", len(A))
    for k, wk in enumerate(lst(need(w, "independent", where), f"{where}.independent", len(basis))):
        p_outside(ctx, A, basis[k], basis, A, basis[:k], wk, f"{where}.independent[{k}]")
    p_cover(ctx, A, set(range(len(A))) - set(basis), A, basis, need(w, "coefficients", where), f"{where}.coefficients")
    return len(basis)

def p_match(ctx, A, B, X, Y, w, where, kind):
    """The removal trace (or, for exact_match, one removal), then coefficients both ways for what is left."""
    for r in ([w] if "w" in w else []) if kind == "exact_match" else lst(need(w, "removals", where), f"{where}.removals"):
        mine, S, other, T = (A, X, B, Y) if need(r, "side", where) == "x" else (B, Y, A, X)
        p_outside(ctx, mine, need(r, "neuron", where), S, other, T, need(r, "w", where), where)
        S.discard(r["neuron"])
        if kind == "exact_match":
            return False
    p_cover(ctx, A, X, B, Y, need(w, "x_in_y", where), f"{where}.x_in_y")
    p_cover(ctx, B, Y, A, X, need(w, "y_in_x", where), f"{where}.y_in_x")
    return [sorted(X), sorted(Y)]

def p_differ(ctx, A, B, w, where):
    i, j = integer(need(w, "neuron", where), where, 0, len(A) - 1), integer(need(w, "point", where), where, 0, len(A[0]) - 1)
    return ctx.sign(rf_add(A[i][j], B[i][j], -1)[0]) != 0

def p_symmetry(ctx, f, g, sym, where):
    """As check_symmetry, with scales rational functions positive on the piece."""
    perm, scale, entries = list(range(len(f[0]["weights"][0]))), [ONE] * len(f[0]["weights"][0]), lst(sym, where, len(f) - 1)
    if len(f) != len(g) or any(len(a["weights"]) != len(b["weights"]) or a["activation"] != b["activation"]
                               for a, b in zip(f, g)):
        raise Reject(f"{where}: the networks differ in depth, widths or activations")
    for li, (lf, lg) in enumerate(zip(f, g)):
        p, c = list(range(len(lf["weights"]))), [ONE] * len(lf["weights"])
        if li < len(f) - 1:
            p = ints(need(entries[li], "permutation", where), where, len(c))
            c = [rf(x, ctx, where) for x in lst(need(entries[li], "scales", where), where, len(c))]
            if sorted(p) != list(range(len(c))) or any(ctx.sign(x[0]) * ctx.sign(x[1]) <= 0 for x in c):
                raise Reject(f"{where}[{li}]: not a permutation with positive scales")
        for i, (wf, bf) in enumerate(zip(lf["weights"], lf["bias"])):
            wg, bg = lg["weights"][p[i]], lg["bias"][p[i]]
            if not all(ctx.zero(rf_add(rf_mul(x, y), rf_mul(c[i], z), -1)[0]) for x, y, z in
                       [(bg, ONE, bf)] + [(wg[perm[k]], scale[k], wf[k]) for k in range(len(perm))]):
                raise Reject(f"{where}: layer {li + 1}, neuron {i} is not its scale times neuron {p[i]} of the second network")
        perm, scale = p, c
    return True

def p_piece(claim, w, nets, inputs, ctx, where):  # noqa: C901 - one branch per kind
    """Whether the claim holds at every point of the piece, or fails at every point, by the proof."""
    kind, const = claim["kind"], lambda x: (ptrim([x]), [Fraction(1)])  # noqa: E731
    if not isinstance(w, dict):
        raise Reject(f"{where}: the proof must be an object")
    if kind == "equal_functions":
        f, g = (nets[n] for n in p_names(claim, where))
        if "symmetry" in w:
            return p_symmetry(ctx, f, g, w["symmetry"], f"{where}.symmetry")
        x = vec(need(w, "input", where), where, len(f[0]["weights"][0]))
        if not all(holds(r, x) for r in domain_rows(claim.get("domain"), len(x), where)):
            raise Reject(f"{where}: the input is outside the domain")
        fo, go = (p_forward(n, [[const(v)] for v in x], ctx, where)[-1] for n in (f, g))
        return not p_differ(ctx, fo, go, w, where) and None
    acts = [p_forward(l, [[const(x) for x in c] for c in zip(*inputs)], ctx, where)[
        integer(need(claim, "layer", where), where, 0, len(l))] for l in (nets[n] for n in p_names(claim, where))]
    if kind in ("cka", "match_similarity"):
        return p_measure(claim, w, acts, ctx, where)
    if kind in ("identical", "activations"):
        B = acts[-1] if kind == "identical" else [[const(x) for x in r] for r in matrix(need(claim, "equals", where), where)]
        same = len(acts[0]) == len(B) and (not B or len(B[0]) == len(inputs)) and all(
            ctx.zero(rf_add(a, b, -1)[0]) for ra, rb in zip(acts[0], B) for a, b in zip(ra, rb))
        return same if same or len(acts[0]) != len(B) or len(B[0]) != len(inputs) or p_differ(ctx, acts[0], B, w, where) else None
    if kind in ("exact_match", "maximum_match", "no_match"):
        neurons = [indices(s, where, len(a)) for s, a in zip(lst(claim.get("neurons"), where, 2), acts)] if claim.get(
            "neurons") is not None else [list(range(len(a))) for a in acts]
        matched = p_match(ctx, acts[0], acts[1], set(neurons[0]), set(neurons[1]), w, where, kind)
        want = claim.get("equals") if kind == "maximum_match" else [[], []]
        return bool(matched) if kind == "exact_match" else matched == want
    if kind in ("dimension", "isomorphic"):
        r = [p_dimension(ctx, A, need(w, k, where), f"{where}.{k}") for A, k in zip(acts, ("first", "second"))]
        return r[0] == (claim["equals"] if kind == "dimension" else r[-1])
    raise Reject(f"{where}: kind {kind!r} has no parametric piece check")

def p_cells(claim, w, P, where):
    """Check the pieces of the parameter line; return whether the claim holds on all of them."""
    t = need(w, "parameter", where)
    if not isinstance(t, str) or t not in P.params:
        raise Reject(f"{where}: {t!r} is not a parameter")
    nets = p_nets(claim, P, where, lambda e: restrict(e, list(P.params).index(t), where))
    dens = [e[1] for ls in nets.values() for l in ls for e in [x for r in l["weights"] for x in r] + l["bias"]]
    (cur, last), pieces, after_point, out = ASSUMED[P.params[t]], lst(need(w, "pieces", where), where), True, []
    for i, pc in enumerate(pieces):
        pw = f"{where}.pieces[{i}]"
        if not isinstance(pc, dict):
            raise Reject(f"{pw}: expected an object")
        known(pc, ("low", "high", "sample", "holds", "proof") if after_point else ("point", "holds", "proof", "excluded"), pw)
        if after_point and need(pc, "low", pw) != cur or not after_point and pc.get("point", pc.get("excluded")) != cur:
            raise Reject(f"{pw}: does not start where the previous piece ends")
        if after_point:
            cur = need(pc, "high", pw)
            ctx = Ctx(pc["low"], cur, num(need(pc, "sample", pw), pw), pw)
        elif "excluded" in pc:
            if not (any(Ctx(cur, where=pw).zero(p) for p in dens) or cur == "0" and P.params[t] == "nonzero"):
                raise Reject(f"{pw}: an excluded point must be a pole or the 0 of a nonzero parameter")
            after_point = True
            continue
        else:
            ctx = Ctx(cur, where=pw)
        if need(pc, "holds", pw) not in (True, False) or p_piece(claim, need(pc, "proof", pw), nets, P.inputs, ctx, pw) \
                is not pc["holds"]:
            raise Reject(f"{pw}: the proof does not give holds = {pc['holds']} on the piece")
        out.append(pc["holds"])
        after_point = not after_point
    if after_point or cur != last:
        raise Reject(f"{where}: the pieces do not cover the admissible set")
    return all(out)

def p_counterexample(claim, w, P, where):
    """Values substituted into every entry, then the numeric claim's ordinary witness of failure."""
    known(need(w, "counterexample", where), P.params, where)
    v = [num(need(w["counterexample"], n, where), where) for n in P.params]
    if any(x <= 0 if a == "positive" else x >= 0 if a == "negative" else a == "nonzero" and x == 0
           for a, x in zip(P.params.values(), v)):
        raise Reject(f"{where}: the counterexample breaks a sign assumption")
    at = lambda part: sum((c * math.prod(x**k for x, k in zip(v, ex)) for ex, c in part), Fraction(0))  # noqa: E731
    s = lambda e: str(at(e[0]) / at(e[1])) if at(e[1]) else "1/0"  # noqa: E731 - a pole: Problem refuses "1/0"
    doc = {n: {"layers": ls} for n, ls in p_nets(claim, P, where, s).items()}
    CHECKS[claim["kind"]](claim, False, need(w, "witness", where), Problem({"data": P.prob["data"], "networks": doc,
                                                                           "claims": [claim]}), where)

def U(c):  # a coefficient (a Pa or a number) as a Fraction list
    return c.c if isinstance(c, Pa) else ptrim([Fraction(c)])

class Pa:
    """A polynomial in the first of two parameters (a Fraction list), as a coefficient of one in the second."""
    def __init__(self, c):
        self.c = ptrim(c)
    __add__ = __radd__ = lambda x, y: Pa(padd(x.c, U(y)))  # noqa: E731
    __mul__ = __rmul__ = lambda x, y: Pa(pmul(x.c, U(y)))  # noqa: E731
    __bool__, __eq__ = (lambda x: bool(x.c)), (lambda x, y: U(x) == U(y))  # noqa: E731

def bi(part, ia, ib, where):
    """(exponents, c) pairs as a polynomial in parameter ib (a list) with coefficients polynomials in parameter ia."""
    out: list = []
    for ex, c in part:
        if c and sum(ex) != ex[ia] + ex[ib]:
            raise Reject(f"{where}: the claim's networks use a third parameter")
        out = padd(out, [0] * ex[ib] + [Pa([0] * ex[ia] + [c])])
    return out

def at_b(P, r):  # P(a, r(a)) as a rational function of a (P: Fraction lists, coefficients of b^0, b^1, ...)
    return functools.reduce(lambda acc, c: rf_add(rf_mul(acc, r), (c, [Fraction(1)])), reversed(P), ZERO)

def on_curve(e, r):  # an entry at b = r(a); its denominator [] where the curve is a pole
    n, d = (at_b([U(c) for c in x], r) for x in e)
    return ptrim(pmul(n[0], d[1])), ptrim(pmul(n[1], d[0]))

def p_map(nets, f):  # every entry mapped by f; with f None, the list of entries
    if not f:
        return [e for ls in nets.values() for l in ls for r in l["weights"] + [l["bias"]] for e in r]
    return {n: [{**l, "weights": [[f(e) for e in r] for r in l["weights"]], "bias": [f(e) for e in l["bias"]]} for l in ls]
            for n, ls in nets.items()}

class Ctx2:
    """A sector {a in the a-piece ca, lo(a) < b < hi(a)} (lo, hi rational functions of a, None infinite), sample (ca.s, s).
    p of degree <= 2 in b has one sign on it if its leading coefficient (and discriminant) has no root on the a-piece,
    p on each boundary is 0 or root-free, p(ca.s, .) has no root inside: its roots are simple, so continuous, none enters."""
    def __init__(self, ca, lo, hi, s, where):
        self.ca, self.e, self.s, self.where = ca, (lo, hi), s, where
        self.b = [None if e is None else pat(e[0], ca.s) / pat(e[1], ca.s) for e in (lo, hi)]
        if not ((self.b[0] is None or self.b[0] < s) and (self.b[1] is None or s < self.b[1])):
            raise Reject(f"{where}: the sample is not inside the sector")
    zero = lambda self, p: not any(map(U, p))  # noqa: E731
    def rf(self, v, where):
        n, d = (bi(x, 0, 1, where) for x in entry(v, 2, where))
        if len(n) > MAX_PDEG or len(d) > MAX_PDEG or self.sign(d) == 0:
            raise Reject(f"{where}: a denominator vanishes on the sector (or is too long)")
        return n, d
    def sign(self, p):
        P = ptrim([U(c) for c in p])
        if len(P) < 2:
            return self.ca.sign(P[0]) if P else 0
        tests = [P[-1]] + ([padd(pmul(P[1], P[1]), pmul(P[0], P[2]), -4)] if len(P) == 3 else []) + [
            at_b(P, e)[0] for e in self.e if e is not None and at_b(P, e)[0]]
        fibre = [pat(c, self.ca.s) for c in P]
        if len(P) > 3 or any(self.ca.sign(q) == 0 for q in tests) or nroots(fibre, *self.b):
            raise Reject(f"{self.where}: a polynomial of the verdict may vanish in the sector (or has degree > 2 in b)")
        return sgn(pat(fibre, self.s))

def p_column(claim, col, two, P, ca, b, where):
    """Above an a-interval: sectors between curves b = r(a), strictly increasing on it, and the curves (one-parameter)."""
    cells, out = lst(need(col, "cells", where), where), []
    ends = [None if e is None else ([num(e, where)], [Fraction(1)]) for e in ASSUMED[P.params[b]]]
    curves = [ends[0]] + [rf(need(c, "curve", where), ca, where) for k, c in enumerate(cells) if k % 2] + [ends[1]]
    if len(cells) % 2 == 0 or any(x and y and (lambda d: ca.sign(d[0]) * ca.sign(d[1]))(rf_add(y, x, -1)) <= 0
                                  for x, y in zip(curves, curves[1:])):
        raise Reject(f"{where}: not sectors and curves b = r(a), increasing on the interval")
    for k, c in enumerate(cells):
        kw, r = f"{where}.cells[{k}]", curves[(k + 1) // 2]
        known(c, ("curve", "holds", "proof", "excluded") if k % 2 else ("sample", "holds", "proof"), kw)
        nets = p_map(two, lambda e, r=r: on_curve(e, r)) if k % 2 else two
        if k % 2 and "excluded" in c:  # a pole along the whole curve, or b = 0 of a nonzero b
            if c["excluded"] is not True or not (any(not e[1] for e in p_map(nets, None)) or
                                                 P.params[b] == "nonzero" and not r[0]):
                raise Reject(f"{kw}: an excluded curve must be a pole or the 0 of a nonzero parameter")
            continue
        ctx = ca if k % 2 else Ctx2(ca, curves[k // 2], curves[k // 2 + 1], num(need(c, "sample", kw), kw), kw)
        if need(c, "holds", kw) not in (True, False) or p_piece(claim, need(c, "proof", kw), nets, P.inputs, ctx, kw) \
                is not c["holds"]:
            raise Reject(f"{kw}: the proof does not give holds = {c['holds']} on the cell")
        out.append(c["holds"])
    return out

def p_plane(claim, verdict, w, P, where):
    """Two parameters: the a-line's pieces; above an interval its cells, above a rational point the b-line's pieces."""
    known(w, ("parameters", "columns"), where)
    a, b = lst(need(w, "parameters", where), where, 2)
    if not (isinstance(a, str) and isinstance(b, str) and a in P.params and b in P.params and a != b):
        raise Reject(f"{where}: not two parameters of the problem")
    ia, ib = list(P.params).index(a), list(P.params).index(b)
    two = p_map(p_nets(claim, P, where), lambda e: tuple(bi(x, ia, ib, where) for x in e))
    (cur, last), after_point, out = ASSUMED[P.params[a]], True, []
    for i, col in enumerate(lst(need(w, "columns", where), where)):
        cw = f"{where}.columns[{i}]"
        known(col, ("low", "high", "sample", "cells") if after_point else ("point", "pieces", "excluded"), cw)
        if not isinstance(col, dict) or (col.get("low") if after_point else col.get("point", col.get("excluded"))) != cur or \
                cur is None and not after_point:
            raise Reject(f"{cw}: not a column that starts where the previous column ends")
        if after_point:
            cur = need(col, "high", cw)
            out += p_column(claim, col, two, P, Ctx(col["low"], cur, num(need(col, "sample", cw), cw), cw), b, cw)
        else:
            q = num(cur, cw)
            one = p_map(two, lambda e, q=q: [[((j,), pat(U(c), q)) for j, c in enumerate(x)] for x in e])
            if "excluded" in col and not (any(not any(c for _, c in e[1]) for e in p_map(one, None)) or q == 0 and
                                          P.params[a] == "nonzero"):
                raise Reject(f"{cw}: an excluded column must be a pole or the 0 of a nonzero parameter")
            sub = type("Sub", (), {"params": {b: P.params[b]}, "nets": one, "inputs": P.inputs})
            out += [] if "excluded" in col else [p_cells(claim, {"parameter": b, "pieces": need(col, "pieces", cw)}, sub, cw)]
        after_point = not after_point
    if after_point or cur != last or verdict is not all(out):
        raise Reject(f"{where}: the columns do not cover the admissible set, or do not give verdict {str(verdict).lower()}")

def p_measure(claim, w, acts, ctx, where):  # noqa: C901 - the two measure kinds
    """cka: CKA^2 = h0^2 / (h1 h2) recomputed on the piece, the claimed N/D checked by N h1 h2 = D h0^2, each bound a
    Sturm sign (of N - c^2 D; of N^2 - c^2 D^2 for CKA^2, both sides >= 0); match_similarity: a removal trace (eps = 0),
    or removals and kept neurons, each by a projection whose residual r is orthogonal to the other side (|r| = dist)."""
    A, B = acts
    if not A or not B or not A[0]:
        raise Reject(f"{where}: a representation without neurons or without points")

    def far(z, other, T, cs):  # the sign of eps^2 |z|^2 - dist(z, span(other[T]))^2
        r = list(z)
        for u, c in (lst(x, where, 2) for x in lst(cs, where)):
            if integer(u, where, 0, len(other) - 1) not in T:
                raise Reject(f"{where}: a projection uses a vector outside the other side")
            c = rf(c, ctx, where)
            r = [rf_add(a, rf_mul(c, y), -1) for a, y in zip(r, other[u])]
        if not all(ctx.zero(dot(r, other[u])[0]) for u in T):
            raise Reject(f"{where}: a projection's residual is not orthogonal to the other side")
        g = rf_add(rf_mul((ptrim([eps * eps]), [Fraction(1)]), dot(z, z)), dot(r, r), -1)
        return ctx.sign(g[0]) * ctx.sign(g[1])
    if claim["kind"] == "match_similarity":
        eps, X, Y = num(claim.get("eps", "0"), where), set(range(len(A))), set(range(len(B)))
        if eps == 0:
            X, Y = p_match(ctx, A, B, X, Y, w, where, "maximum_match")
        else:
            known(w, ("removals", "kept"), where)
            seen: list = []
            for key in ("removals", "kept"):
                for r in lst(need(w, key, where), f"{where}.{key}"):
                    known(r, ("side", "neuron", "coefficients"), where)
                    mine, S, other, T = (A, X, B, Y) if need(r, "side", where) == "x" else (B, Y, A, X)
                    v = integer(need(r, "neuron", where), where, 0, len(mine) - 1)
                    if v not in S or (far(mine[v], other, T, need(r, "coefficients", where)) >= 0) != (key == "kept"):
                        raise Reject(f"{where}.{key}: neuron {v} ({r['side']}) is on the wrong side of eps")
                    S.discard(v) if key == "removals" else seen.append((r["side"], v))
            if sorted(seen) != sorted([("x", v) for v in X] + [("y", v) for v in Y]):
                raise Reject(f"{where}.kept: not exactly the neurons left")
        return Fraction(len(X) + len(Y), len(A) + len(B)) == num(need(claim, "equals", where), where)
    d, sq = Fraction(len(A[0])), claim.get("squared", False)
    mean = lambda s: (s[0], [d * c for c in s[1]])  # noqa: E731 - a sum divided by d
    cen = [[[rf_add(x, mean(functools.reduce(rf_add, row, ZERO)), -1) for x in row] for row in M] for M in acts]
    h = [functools.reduce(rf_add, (rf_mul(dot(p, q), dot(p, q)) for p in P for q in Q), ZERO)
         for P, Q in ((cen[0], cen[1]), (cen[0], cen[0]), (cen[1], cen[1]))]
    if sq not in (True, False):
        raise Reject(f"{where}: squared must be true or false")
    if ctx.zero(h[1][0]) or ctx.zero(h[2][0]):  # a side constant over the data: CKA undefined, the claim false
        if w:
            raise Reject(f"{where}: CKA is undefined on the piece, so the proof must be empty")
        return False
    known(w, ("cka_squared",), where)
    n, dd = rf(need(w, "cka_squared", where), ctx, where)
    if ctx.sign(h[1][0]) == 0 or ctx.sign(h[2][0]) == 0 or not ctx.zero(padd(pmul(pmul(n, h[1][0]), pmul(h[2][0], pmul(
            h[0][1], h[0][1]))), pmul(pmul(dd, pmul(h[0][0], h[0][0])), pmul(h[1][1], h[2][1])), -1)):
        raise Reject(f"{where}: cka_squared is not the recomputed |A B^T|^4 / (|A A^T|^2 |B B^T|^2)")
    ok = True
    for key, accept in (("equals", (0,)), ("at_least", (0, 1)), ("at_most", (-1, 0))):
        if key in claim:
            c, q = surd(claim[key], f"{where}: {key}")
            if c < 0:
                raise Reject(f"{where}: {key}: CKA is never negative")
            f = padd(pmul(n, n), pmul(dd, dd), -c * c * q) if sq else padd(n, dd, -c * c * q)
            ok = ok and ctx.sign(f) * (1 if sq else ctx.sign(dd)) in accept
    return ok

class PProblem:
    """A parametric problem: parameters with assumptions, numeric data, networks of rational-function entries."""
    def __init__(self, prob):
        known(prob, ("title", "description", "source", "parameters", "data", "networks", "claims"), "problem")
        self.prob, self.params, k = prob, need(prob, "parameters", "problem"), len(prob.get("parameters") or ())
        if not isinstance(self.params, dict) or not 0 < k <= 8 or any(str(a) not in ASSUMED for a in self.params.values()):
            raise Reject("problem.parameters: 1 to 8 names, each positive, negative, nonzero or real")
        self.inputs = matrix(need(need(prob, "data", "problem"), "inputs", "problem.data"), "problem.data.inputs")
        self.nets: dict = {}
        self.claims = lst(need(prob, "claims", "problem"), "problem.claims")
        if not isinstance(need(prob, "networks", "problem"), dict):
            raise Reject("problem.networks: expected an object")
        for n, spec in prob["networks"].items():
            self.nets[n], width = [], len(self.inputs[0]) if self.inputs else 0
            for l in lst(need(spec, "layers", n), n):
                known(l, ("weights", "bias", "activation"), n)
                W = [[entry(e, k, n) for e in lst(r, n, width)] for r in lst(need(l, "weights", n), n)]
                if not W or need(l, "activation", n) not in ("relu", "identity"):
                    raise Reject(f"{n}: a layer without neurons or with an activation other than relu, identity")
                self.nets[n].append({"weights": W, "bias": [entry(e, k, n) for e in lst(need(l, "bias", n), n, len(W))],
                                     "activation": l["activation"]})
                width = len(W)

def check_parametric(claim, verdict, w, P, where):
    """A parametric claim: a counterexample (verdict false) or the pieces of one parameter's line."""
    if verdict is False and "counterexample" in w:
        return p_counterexample(claim, w, P, where)
    if "columns" in w:
        return p_plane(claim, verdict, w, P, where)
    known(w, ("parameter", "pieces"), where)
    if verdict is not p_cells(claim, w, P, where):
        raise Reject(f"{where}: the pieces do not give verdict {str(verdict).lower()}")


# ---------------------------------------------------------------------------------------------
# certificates


def load(path):
    """Parse a certificate file; Unreadable when it is not JSON of bounded size."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as e:
        raise Unreadable(f"cannot be read ({e.strerror or e})") from None
    if len(raw) > MAX_BYTES:
        raise Unreadable(f"larger than {MAX_BYTES} bytes")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        raise Unreadable("not UTF-8 text") from None
    except RecursionError:
        raise Unreadable("JSON nested too deeply") from None
    except ValueError as e:  # JSONDecodeError, NaN/Infinity, integers beyond Python's digit limit
        raise Unreadable(f"not a JSON certificate: {str(e)[:160]}") from None


def _no_constant(name):
    raise ValueError(f"{name} is not an exact number")


def _unique_keys(pairs):
    """A JSON object; a repeated key is an error (readers differ on which value counts)."""
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise ValueError(f"key {k[:40]!r} appears twice in one object")
        obj[k] = v
    return obj


def check_certificate(doc):
    """Check a parsed certificate; return per-claim reports. Raises Reject for the whole file."""
    reject_if(not isinstance(doc, dict), "not a certificate object")
    if doc.get("format") not in (FORMAT, PARAMETRIC_FORMAT):
        raise Reject(f"format is {doc.get('format')!r}, this checker reads {FORMAT!r}")
    P = (PProblem if doc["format"] == PARAMETRIC_FORMAT else Problem)(need(doc, "problem", "certificate"))
    results = lst(need(doc, "results", "certificate"), "results", len(P.claims))
    ids = [c.get("id") if isinstance(c, dict) else None for c in P.claims]
    reject_if(len(set(map(str, ids))) != len(ids), "problem.claims: claim ids are not distinct")
    reports = []
    for k, (claim, res) in enumerate(zip(P.claims, results)):
        where = f"claim {ids[k]!r}"
        try:
            reject_if(not isinstance(claim, dict) or not isinstance(res, dict), f"{where}: expected objects")
            kind = need(claim, "kind", where)
            if res.get("id") != claim.get("id") or res.get("kind") != kind:
                raise Reject(f"{where}: result #{k + 1} is for {res.get('id')!r} ({res.get('kind')!r})")
            reject_if(not isinstance(kind, str) or kind not in CHECKS, f"{where}: unknown claim kind {kind!r}")
            known(claim, COMMON_FIELDS | CLAIM_FIELDS[kind], where)
            verdict = need(res, "verdict", where)
            if verdict == "undecided":
                reports.append(undecided_report(claim, res, ids[k], where))
                continue
            reject_if(not isinstance(verdict, bool), f"{where}: verdict must be true or false")
            witness = need(res, "witness", where)
            reject_if(not isinstance(witness, dict), f"{where}: witness must be an object")
            (check_parametric if isinstance(P, PProblem) else CHECKS[kind])(claim, verdict, witness, P, where)
            expect = claim.get("expect", True)
            reports.append({"id": ids[k], "kind": kind, "verdict": verdict, "valid": True,
                            "as_expected": verdict == expect, "message": "checked"})
        except Reject as e:
            reports.append({"id": ids[k], "kind": claim.get("kind") if isinstance(claim, dict) else None,
                            "verdict": res.get("verdict") if isinstance(res, dict) else None,
                            "valid": False, "message": str(e)})
    return reports


def undecided_report(claim, res, cid, where):
    """An undecided claim proves nothing, so there is nothing to check: it is reported as undecided, never as true."""
    reject_if(not isinstance(need(res, "witness", where), dict), f"{where}: witness must be an object")
    return {"id": cid, "kind": claim["kind"], "verdict": "undecided", "valid": True, "as_expected": False,
            "message": "undecided: no verdict, nothing to check"}


def check_file(path, exhaustive=False):
    """{'file', 'status': 'valid' | 'rejected' | 'unreadable', 'message', 'claims': [...]}."""
    try:
        doc = load(path)
    except Unreadable as e:
        return {"file": path, "status": "unreadable", "message": str(e), "claims": []}
    if not isinstance(doc, dict) or "format" not in doc:  # JSON, but no certificate at all: unreadable, not rejected
        what = "missing field 'format'" if isinstance(doc, dict) else f"a JSON {type(doc).__name__}, not an object"
        return {"file": path, "status": "unreadable", "message": f"not a symrep certificate ({what})", "claims": []}
    how = ""
    try:
        if doc.get("format") == LAYER_FORMAT:
            claims, how = check_layer_certificate(doc, os.path.dirname(os.path.abspath(path)), exhaustive)
            how = f" ({how})"
        else:
            claims = check_certificate(doc)
    except Reject as e:
        return {"file": path, "status": "rejected", "message": str(e), "claims": []}
    except RecursionError:
        return {"file": path, "status": "rejected", "message": "nested too deeply", "claims": []}
    bad = [c for c in claims if not c["valid"]]
    undecided = sum(c.get("verdict") == "undecided" for c in claims)
    msg = f"{len(claims) - undecided} claims checked{how}" if not bad else f"{len(bad)} of {len(claims)} claims rejected"
    if undecided:
        msg += f", {undecided} undecided (nothing to check)"
    return {"file": path, "status": "rejected" if bad else "valid", "message": msg, "claims": claims}


def say(text):
    """Print, escaping what standard output cannot encode (a lone surrogate in a claim id)."""
    enc = getattr(sys.stdout, "encoding", None) or "utf-8"
    print(text.encode(enc, "backslashreplace").decode(enc))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="symrep check", description="Re-check symrep certificates (standard library only).")
    parser.add_argument("files", nargs="+", metavar="CERT.json")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--exhaustive", action="store_true", help="recompute every product exactly (no Freivalds test)")
    args = parser.parse_args(argv)
    reports = [check_file(f, args.exhaustive) for f in args.files]
    unreadable, rejected = (any(r["status"] == k for r in reports) for k in ("unreadable", "rejected"))
    status = 2 if unreadable else 1 if rejected else 0
    try:
        if args.json:
            print(json.dumps({"ok": status == 0, "certificates": reports}, indent=2))
            return status
        for r in reports:
            say(f"{r['file']}: {r['status'].upper()}: {r['message']}")
            for c in r["claims"]:
                mark = ("undecided" if c["verdict"] == "undecided" else "ok      ") if c["valid"] else "REJECTED"
                note = "" if c["valid"] else f": {c['message']}"
                say(f"  {mark} {c['id']} ({c['kind']}, verdict {str(c['verdict']).lower()}){note}")
    except BrokenPipeError:  # `checker.py CERT | head -1`: the reader left; the status still says what was found
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return status


if __name__ == "__main__":
    sys.exit(main())
