(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and coq/Spectral.v and proves it from the certificate's witness.
   Title: Invariances of the spectral measures: which transformations of one side leave each measure unchanged *)
(* Claims proved: 22; skipped (not covered by the Coq library): 6.
   - svcca-rot (svcca): kind 'svcca' is not covered by the Coq library
   - svcca-scaled (svcca): kind 'svcca' is not covered by the Coq library
   - svcca-shifted (svcca): kind 'svcca' is not covered by the Coq library
   - svcca-lin (svcca): kind 'svcca' is not covered by the Coq library
   - pwcca-wide (pwcca): pwcca: a bracket (an irrational value) is not in the Coq library (mean CCA's is)
   - pwcca-lin-wide (pwcca): pwcca: a bracket (an irrational value) is not in the Coq library (mean CCA's is) *)

From Symrep Require Import Symrep Spectral.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(2#1); (1#1); (0#1)]; [(-1#1); (1#1); (2#1)]; [(0#1); (-3#1); (1#1)]; [(3#1); (0#1); (-1#1)]; [(1#1); (2#1); (-1#1)]; [(-2#1); (0#1); (3#1)]; [(0#1); (1#1); (2#1)]; [(1#1); (-1#1); (0#1)]].
Definition npoints : nat := length inputs.

(* network base *)
Definition net_0 : network := [mk_layer [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network rot *)
Definition net_1 : network := [mk_layer [[(3#5); (4#5); (0#1)]; [(-4#5); (3#5); (0#1)]; [(0#1); (0#1); (1#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network scaled *)
Definition net_2 : network := [mk_layer [[(7#1); (0#1); (0#1)]; [(0#1); (7#1); (0#1)]; [(0#1); (0#1); (7#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network shifted *)
Definition net_3 : network := [mk_layer [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]] [(5#1); (-7#3); (1#2)] Identity].

(* network lin *)
Definition net_4 : network := [mk_layer [[(1#1); (2#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(1#1); (1#1); (1#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network wide *)
Definition net_5 : network := [mk_layer [[(1#1); (-1#1); (0#1)]; [(0#1); (1#1); (1#1)]; [(1#1); (0#1); (-1#1)]; [(1#1); (1#1); (1#1)]] [(0#1); (0#1); (0#1); (0#1)] Relu].

(* claim cka-rot (cka), verdict true
   CKA is invariant under an orthogonal map: CKA(X, T X) = 1 *)
Theorem claim_0_cka_rot : cka_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (Some (1#1)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cca-rot (cca), verdict true
   mean CCA is invariant under an orthogonal map: CCA(X, T X) = 1 *)
Theorem claim_1_cca_rot : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(91#85); (-138#85); (41#17)]; [(3#5); (-4#5); (2#1)]; [(18#85); (-74#85); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(3#5); (4#5); (0#1)]; [(-4#5); (3#5); (0#1)]; [(0#1); (0#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim pwcca-rot (pwcca), verdict true
   PWCCA(X, T X) = 1 under an orthogonal map (every correlation is 1) *)
Theorem claim_3_pwcca_rot : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(91#85); (-138#85); (41#17)]; [(3#5); (-4#5); (2#1)]; [(18#85); (-74#85); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(3#5); (4#5); (0#1)]; [(-4#5); (3#5); (0#1)]; [(0#1); (0#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim procrustes-rot (procrustes), verdict true
   the Procrustes distance is invariant under an orthogonal map: d(X, T X) = 0 *)
Theorem claim_4_procrustes_rot : procrustes_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (Some (0#1)) None None.
Proof. apply (procrustes_true _ _ _ _ _ _ ([[(3#5); (-4#5); (0#1)]; [(4#5); (3#5); (0#1)]; [(0#1); (0#1); (1#1)]], true) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim angular-rot (angular_procrustes), verdict true
   the angular Procrustes distance is invariant under an orthogonal map: 0 *)
Theorem claim_5_angular_rot : angular_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (Some (0#1)) None None.
Proof. apply (angular_true _ _ _ _ _ _ (403#8) ([[(3#5); (-4#5); (0#1)]; [(4#5); (3#5); (0#1)]; [(0#1); (0#1); (1#1)]], true) (0#1) (0#1) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim cka-scaled (cka), verdict true
   CKA is invariant under isotropic scaling: CKA(X, T X) = 1 *)
Theorem claim_6_cka_scaled : cka_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) (Some (1#1)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cca-scaled (cca), verdict true
   mean CCA is invariant under isotropic scaling: CCA(X, T X) = 1 *)
Theorem claim_7_cca_scaled : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#119); (-2#119); (41#119)]; [(1#7); (0#1); (2#7)]; [(2#17); (-6#119); (3#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(7#1); (0#1); (0#1)]; [(0#1); (7#1); (0#1)]; [(0#1); (0#1); (7#1)]])))); vm_compute; reflexivity. Qed.

(* claim pwcca-scaled (pwcca), verdict true
   PWCCA(X, T X) = 1 under isotropic scaling (every correlation is 1) *)
Theorem claim_9_pwcca_scaled : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#119); (-2#119); (41#119)]; [(1#7); (0#1); (2#7)]; [(2#17); (-6#119); (3#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(7#1); (0#1); (0#1)]; [(0#1); (7#1); (0#1)]; [(0#1); (0#1); (7#1)]])))); vm_compute; reflexivity. Qed.

(* claim procrustes-scaled (procrustes), verdict true
   the Procrustes distance is not invariant under isotropic scaling: d(X, T X) > 0 *)
Theorem claim_10_procrustes_scaled : procrustes_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) None (Some (7#1)) None.
Proof. apply (procrustes_true _ _ _ _ _ _ ([], true) (3%nat, [[(1#1); (0#1); (0#1)]; [(1#12); (1#1); (0#1)]; [(-5#6); (-2#67); (1#1)]], [(126#1); (469#4); (1400#67)], [[(1#1); (1#12); (-5#6)]; [(0#1); (1#1); (-2#67)]; [(0#1); (0#1); (1#1)]])); vm_compute; reflexivity. Qed.

(* claim angular-scaled (angular_procrustes), verdict true
   the angular Procrustes distance is invariant under isotropic scaling: 0 *)
Theorem claim_11_angular_scaled : angular_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) (Some (0#1)) None None.
Proof. apply (angular_true _ _ _ _ _ _ (2821#8) ([[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]], true) (0#1) (0#1) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim cka-shifted (cka), verdict true
   CKA is invariant under translation: CKA(X, T X) = 1 *)
Theorem claim_12_cka_shifted : cka_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (Some (1#1)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cca-shifted (cca), verdict true
   mean CCA is invariant under translation: CCA(X, T X) = 1 *)
Theorem claim_13_cca_shifted : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim pwcca-shifted (pwcca), verdict true
   PWCCA(X, T X) = 1 under translation (every correlation is 1) *)
Theorem claim_15_pwcca_shifted : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim procrustes-shifted (procrustes), verdict true
   the Procrustes distance is invariant under translation: d(X, T X) = 0 *)
Theorem claim_16_procrustes_shifted : procrustes_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (Some (0#1)) None None.
Proof. apply (procrustes_true _ _ _ _ _ _ ([[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]], true) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim angular-shifted (angular_procrustes), verdict true
   the angular Procrustes distance is invariant under translation: 0 *)
Theorem claim_17_angular_shifted : angular_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (Some (0#1)) None None.
Proof. apply (angular_true _ _ _ _ _ _ (403#8) ([[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]], true) (0#1) (0#1) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim cka-lin (cka), verdict true
   CKA is not invariant under an invertible linear map: CKA(X, T X) < 1 *)
Theorem claim_18_cka_lin : cka_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) None None (Some (3#5)).
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cca-lin (cca), verdict true
   mean CCA is invariant under an invertible linear map: CCA(X, T X) = 1 *)
Theorem claim_19_cca_lin : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(-8#17); (-27#17); (41#17)]; [(-1#1); (0#1); (2#1)]; [(-7#17); (-13#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(1#1); (2#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(1#1); (1#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim pwcca-lin (pwcca), verdict true
   PWCCA(X, T X) = 1 under an invertible linear map (every correlation is 1) *)
Theorem claim_21_pwcca_lin : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(-8#17); (-27#17); (41#17)]; [(-1#1); (0#1); (2#1)]; [(-7#17); (-13#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(1#1); (2#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(1#1); (1#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim procrustes-lin (procrustes), verdict true
   the Procrustes distance is not invariant under an invertible linear map: d(X, T X) > 0 *)
Theorem claim_22_procrustes_lin : procrustes_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) None (Some (7#1)) None.
Proof. apply (procrustes_true _ _ _ _ _ _ ([], true) (3%nat, [[(-747#256); (3723#2048); (1947#2048)]; [(-761#128); (-13993#8192); (-505#8192)]; [(631#256); (-8103#4096); (3817#4096)]], [(1#1); (1#1); (1#1)], [[(-56659968#8941907); (-19548160#8941907); (-20589568#8941907)]; [(12704512#8941907); (-20025600#8941907); (-15696384#8941907)]; [(-680704#8941907); (-7598848#8941907); (9143808#8941907)]])); vm_compute; reflexivity. Qed.

(* claim angular-lin (angular_procrustes), verdict true
   the angular Procrustes distance is not invariant under an invertible linear map *)
Theorem claim_23_angular_lin : angular_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) None (Some (69#100)) None.
Proof. apply (angular_true _ _ _ _ _ _ (0#1) ([], true) (741354526013806329211#9223372036854775808) (332601960862093899492989#5365870468515009396736) (3%nat, [[(-747#256); (3723#2048); (1947#2048)]; [(-761#128); (-13993#8192); (-505#8192)]; [(631#256); (-8103#4096); (3817#4096)]], [(1#1); (1#1); (1#1)], [[(-56659968#8941907); (-19548160#8941907); (-20589568#8941907)]; [(12704512#8941907); (-20025600#8941907); (-15696384#8941907)]; [(-680704#8941907); (-7598848#8941907); (9143808#8941907)]])); vm_compute; reflexivity. Qed.

(* claim cca-wide (cca), verdict true
   CCA(X, Z) is about 0.95218 *)
Theorem claim_24_cca_wide : cca_claim npoints (acts net_0 1%nat inputs) (acts net_5 1%nat inputs) None (Some (9521#10000)) (Some (4761#5000)).
Proof. apply (cca_true _ _ _ _ _ _ (3%nat, [[(-71#1024); (189#1024); (119#1024)]; [(3963863#33520636); (172591323#1072660352); (-111351237#2145320704)]; [(1011989042103#1954234850944); (-5406697023#977117425472); (1102824234759#1954234850944)]], [(8380159#8388608); (137407137957#137300525056); (31235747321025#31267757615104)], ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]])) (4%nat, [[(-143#1024); (91#512); (43#1024); (-13#512)]; [(-423101501#2146168832); (-201371223#1073084416); (305917393#2146168832); (166645491#1073084416)]; [(539015410986723#1126033687857152); (164165038280731#563016843928576); (-79398535010267#1126033687857152); (168620793997123#563016843928576)]; [(-12786280005517992285#98560206067605170176); (-6444403037516283021#12320025758450646272); (-43134685691472759735#98560206067605170176); (10077108853714279689#24640051516901292544)]], [(523967#524288); (549821136649#549419220992); (144375301856843511#144132312045715456); (25197470599674508439499#25231412753306923565056)], ([0%nat; 1%nat; 2%nat; 3%nat], [0%nat; 1%nat; 2%nat; 3%nat], [[(7#25); (-9#25); (-12#25); (24#25)]; [(27#25); (26#25); (-7#25); (14#25)]; [(31#50); (3#50); (-21#50); (17#50)]; [(29#50); (27#50); (11#50); (3#50)]], [[(1#1); (0#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1); (0#1)]; [(0#1); (0#1); (0#1); (1#1)]])) ([[(1#1); (0#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1); (0#1)]], false, [[(65489#65536); (0#1); (0#1); (0#1)]; [(0#1); (64323#65536); (0#1); (0#1)]; [(0#1); (0#1); (57393#65536); (0#1)]]) (3%nat, [[(618332709363454527052990047#618664551593225341615734784); (-255202161971#1125210564591616); (1337649861230633353#1180731900278501015552)]; [(-15430994191889735113417536219#68217201447564890599594399891456); (-2335859828936927370231#2357360859939378036736); (-754733914634205972735491#1236840132588247848998404096)]; [(-2669957413969138072457133999231#2306014686140295645127542392225792); (-358373512448048770179#536847094720534857908224); (526759414673052009495992624835#563336774693745679739993980928)]], [(1#1); (1#1); (1#1)], [[(1156166656#1157297851); (-1119232#1157297851); (-1057792#1157297851); (236242157906276688661711038722112916592821899302400#296232134574740881063347918766720730545973197522654439)]; [(-1119232#1157297851); (-1147213824#1157297851); (1024#1157297851); (10181424174984063240516824000057118874094145246720#296232134574740881063347918766720730545973197522654439)]; [(1057792#1157297851); (-1024#1157297851); (1084237824#1157297851); (199764023135047607944149122297536965096294649116672#296232134574740881063347918766720730545973197522654439)]])); vm_compute; reflexivity. Qed.

(* claim cca-lin-wide (cca), verdict true
   CCA(T X, Z) is the same: 0.95218 (CCA depends on the span of X only) *)
Theorem claim_25_cca_lin_wide : cca_claim npoints (acts net_4 1%nat inputs) (acts net_5 1%nat inputs) None (Some (9521#10000)) (Some (4761#5000)).
Proof. apply (cca_true _ _ _ _ _ _ (3%nat, [[(-95#512); (451#1024); (119#1024)]; [(91777147#539282432); (-138651103#1078564864); (-3294183#63444992)]; [(-18202172043#390713642560); (-93132044137#195356821280); (55127312603#97678410640)]], [(526643#524288); (274720529925#276112605184); (1249005172921#1250283656192)], ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(-8#17); (-27#17); (41#17)]; [(-1#1); (0#1); (2#1)]; [(-7#17); (-13#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]])) (4%nat, [[(-143#1024); (91#512); (43#1024); (-13#512)]; [(-423101501#2146168832); (-201371223#1073084416); (305917393#2146168832); (166645491#1073084416)]; [(539015410986723#1126033687857152); (164165038280731#563016843928576); (-79398535010267#1126033687857152); (168620793997123#563016843928576)]; [(-12786280005517992285#98560206067605170176); (-6444403037516283021#12320025758450646272); (-43134685691472759735#98560206067605170176); (10077108853714279689#24640051516901292544)]], [(523967#524288); (549821136649#549419220992); (144375301856843511#144132312045715456); (25197470599674508439499#25231412753306923565056)], ([0%nat; 1%nat; 2%nat; 3%nat], [0%nat; 1%nat; 2%nat; 3%nat], [[(7#25); (-9#25); (-12#25); (24#25)]; [(27#25); (26#25); (-7#25); (14#25)]; [(31#50); (3#50); (-21#50); (17#50)]; [(29#50); (27#50); (11#50); (3#50)]], [[(1#1); (0#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1); (0#1)]; [(0#1); (0#1); (0#1); (1#1)]])) ([[(1#1); (0#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1); (0#1)]], false, [[(65489#65536); (0#1); (0#1); (0#1)]; [(0#1); (64323#65536); (0#1); (0#1)]; [(0#1); (0#1); (57393#65536); (0#1)]]) (3%nat, [[(310014677971590749185922145#309332275796612670807867392); (-1750767158387#562605282295808); (252731349382001337#295182975069625253888)]; [(-1017912427390769928585953690031#325815355444710973584535413850112); (-45035948391849255531#45583405182170955776); (-51810259794130837934975#155456047539592652583337984)]; [(-203129663164134142918280840393121#236055352027088012345296966081576960); (-160178372968755089003#429331170252523873239040); (42126422693429125291364684219#45051568519980840844041125888)]], [(1#1); (1#1); (1#1)], [[(1156166656#1157297851); (-1119232#1157297851); (-1057792#1157297851); (236242157906276688661711038722112916592821899302400#296232134574740881063347918766720730545973197522654439)]; [(-1119232#1157297851); (-1147213824#1157297851); (1024#1157297851); (10181424174984063240516824000057118874094145246720#296232134574740881063347918766720730545973197522654439)]; [(1057792#1157297851); (-1024#1157297851); (1084237824#1157297851); (199764023135047607944149122297536965096294649116672#296232134574740881063347918766720730545973197522654439)]])); vm_compute; reflexivity. Qed.

