(* symrep: parametric claims, none stated in Coq yet (docs/parametric.md). Claims proved: 0; skipped: 5.
   - outlier-cka-at-most-one (cka): parametric claims are not stated in Coq yet
   - outlier-cka-at-least-half (cka): parametric claims are not stated in Coq yet
   - outlier-cka-small-far-out (cka): parametric claims are not stated in Coq yet
   - outlier-in-both-cka-at-least-half (cka): parametric claims are not stated in Coq yet
   - outlier-in-both-cka-above-limit (cka): parametric claims are not stated in Coq yet *)
