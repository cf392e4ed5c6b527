(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Claims that relate measures: CKA squared, the similarity level, comparisons, metric axioms, invariance *)
(* Claims proved: 2; skipped (not covered by the Coq library): 28.
   - cka-irrational (cka): cka bounds written with sqrt are not in the Coq library
   - cka-squared (cka): cka bounds on CKA^2 (squared = true) are not in the Coq library
   - cka-rotation-invariant (invariance): kind 'invariance' is not covered by the Coq library
   - cka-translation-invariant (invariance): kind 'invariance' is not covered by the Coq library
   - cka-not-invariant-anisotropic (invariance): kind 'invariance' is not covered by the Coq library
   - match-not-rotation-invariant (invariance): kind 'invariance' is not covered by the Coq library
   - similarity-centred (equivalence): equivalence at level 'similarity' is not in the Coq library
   - similarity-uncentred-fails (equivalence): equivalence at level 'similarity' is not in the Coq library
   - cka-one-under-similarity (relation): kind 'relation' is not covered by the Coq library
   - bound-on-a-measure (relation): kind 'relation' is not covered by the Coq library
   - cka-above-match (relation): kind 'relation' is not covered by the Coq library
   - match-at-eps-one-above-cka (relation): kind 'relation' is not covered by the Coq library
   - distances-equal (relation): kind 'relation' is not covered by the Coq library
   - triangle-1-cka-fails (triangle): kind 'triangle' is not covered by the Coq library
   - triangle-arccos-holds (triangle): kind 'triangle' is not covered by the Coq library
   - triangle-arccos-tight (triangle): kind 'triangle' is not covered by the Coq library
   - triangle-1-match-fails (triangle): kind 'triangle' is not covered by the Coq library
   - knn-well-defined (relation): kind 'relation' is not covered by the Coq library
   - knn-tie-range (relation): kind 'relation' is not covered by the Coq library
   - rsa-rotation-invariant (invariance): kind 'invariance' is not covered by the Coq library
   - rsa-pearson-not-scale-free-per-axis (invariance): kind 'invariance' is not covered by the Coq library
   - cka-invariant-every-orthogonal (invariance): kind 'invariance' is not covered by the Coq library
   - cka-not-invariant-every-invertible (invariance): kind 'invariance' is not covered by the Coq library
   - cca-invariant-every-invertible (invariance): kind 'invariance' is not covered by the Coq library
   - procrustes-not-scale-invariant (invariance): kind 'invariance' is not covered by the Coq library
   - angular-procrustes-similarity-zero (relation): kind 'relation' is not covered by the Coq library
   - procrustes-similarity-positive (relation): kind 'relation' is not covered by the Coq library
   - procrustes-triangle (triangle): kind 'triangle' is not covered by the Coq library *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (1#1)]; [(1#1); (-1#1)]; [(-1#1); (1#1)]; [(-1#1); (-1#1)]].
Definition npoints : nat := length inputs.

(* network f *)
Definition net_0 : network := [mk_layer [[(1#1); (0#1)]] [(0#1)] Identity].

(* network g *)
Definition net_1 : network := [mk_layer [[(0#1); (1#1)]] [(0#1)] Identity].

(* network id *)
Definition net_2 : network := [mk_layer [[(1#1); (0#1)]; [(0#1); (1#1)]] [(0#1); (0#1)] Identity].

(* network s *)
Definition net_3 : network := [mk_layer [[(6#5); (-9#10)]; [(9#10); (6#5)]] [(1#1); (-2#1)] Identity].

(* claim cka-not-0.7071 (cka), verdict false
   ... so CKA(X, Y) is not at most 0.7071 (the decimal is read exactly) *)
Theorem claim_2_cka_not_0_7071 : ~ cka_claim npoints (acts net_2 1%nat inputs) (acts net_0 1%nat inputs) None None (Some (7071#10000)).
Proof. apply cka_false; vm_compute; reflexivity. Qed.

(* claim orthogonal-centred-fails (equivalence), verdict false
   ... but not an orthogonal one (the scale 3/2) *)
Theorem claim_8_orthogonal_centred_fails : ~ orthogonal_equiv npoints (center npoints (acts net_3 1%nat inputs)) (center npoints (acts net_2 1%nat inputs)).
Proof. apply (orthogonal_false _ _ _ [(1#2); (1#2); (0#1); (0#1)]); vm_compute; reflexivity. Qed.

