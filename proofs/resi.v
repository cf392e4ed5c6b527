(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: The ReSi benchmark: declared invariance flags, confirmed or refuted instance by instance *)
(* Claims proved: 0; skipped (not covered by the Coq library): 17.
   - cka-ortho-consistent (invariance): kind 'invariance' is not covered by the Coq library
   - cka-permutation-consistent (invariance): kind 'invariance' is not covered by the Coq library
   - cka-isotropic-consistent (invariance): kind 'invariance' is not covered by the Coq library
   - cka-translation-consistent (invariance): kind 'invariance' is not covered by the Coq library
   - cka-invertible-linear-confirmed (invariance): kind 'invariance' is not covered by the Coq library
   - knn-ortho-consistent (invariance): kind 'invariance' is not covered by the Coq library
   - knn-permutation-consistent (invariance): kind 'invariance' is not covered by the Coq library
   - knn-isotropic-consistent (invariance): kind 'invariance' is not covered by the Coq library
   - knn-translation-confirmed (invariance): kind 'invariance' is not covered by the Coq library
   - knn-translation-value (relation): kind 'relation' is not covered by the Coq library
   - knn-invertible-linear-confirmed (relation): kind 'relation' is not covered by the Coq library
   - rsa-permutation-consistent (invariance): kind 'invariance' is not covered by the Coq library
   - rsa-isotropic-consistent (invariance): kind 'invariance' is not covered by the Coq library
   - rsa-ortho-confirmed (invariance): kind 'invariance' is not covered by the Coq library
   - rsa-translation-refuted (invariance): kind 'invariance' is not covered by the Coq library
   - rsa-translation-value (relation): kind 'relation' is not covered by the Coq library
   - rsa-euclidean-translation-consistent (invariance): kind 'invariance' is not covered by the Coq library *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (0#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1); (0#1)]; [(0#1); (0#1); (0#1); (1#1)]].
Definition npoints : nat := length inputs.

(* network k *)
Definition net_0 : network := [mk_layer [[(1#1); (5#1); (5#1); (5#1)]; [(0#1); (1#1); (4#1); (-4#1)]] [(0#1); (0#1)] Identity].

(* network k_t *)
Definition net_1 : network := [mk_layer [[(1#1); (5#1); (5#1); (5#1)]; [(4#1); (5#1); (8#1); (0#1)]] [(0#1); (0#1)] Identity].

(* network k_s *)
Definition net_2 : network := [mk_layer [[(1#1); (5#1); (5#1); (5#1)]; [(0#1); (10#1); (40#1); (-40#1)]] [(0#1); (0#1)] Identity].

(* network r *)
Definition net_3 : network := [mk_layer [[(1#1); (1#1); (-1#1); (1#1)]; [(-1#1); (0#1); (2#1); (-1#1)]; [(0#1); (-1#1); (-1#1); (0#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network r_t *)
Definition net_4 : network := [mk_layer [[(1#1); (1#1); (-1#1); (1#1)]; [(-1#1); (0#1); (2#1); (-1#1)]; [(2#1); (1#1); (1#1); (2#1)]] [(0#1); (0#1); (0#1)] Identity].

