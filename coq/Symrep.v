(* Symrep.v: the Coq statements of symrep's claims and, for each witness form, a soundness lemma
   proved once.  Coq 8.16, standard library only.

   A certificate exported by `symrep coq` defines its data points and networks, states each
   claim with the definitions below (section 1), and proves it by applying one lemma of
   section 3 to the certificate's witness: the lemma's hypothesis is a boolean check
   (`... = true`) that `vm_compute` evaluates.  So a proof is a computation plus one lemma.

   What a reader must trust: Coq's kernel, and that the definitions of section 1 say what the
   paper says (forward pass, span, eps-closeness, match, maximum match, dimension, CKA^2), as do
   the few statement definitions of the later parts of section 3, each marked in its comment:
   `similar`, `cka_surd_claim`, `quantity`/`sqval`/`relation_claim` and the transforms `tr_*`, and
   of the last section (mutual k-NN over every tie-breaking: `knn_set`, `knn_tie_value`, `relation_every`).
   Section 2 and the rest of section 3 are checks and proofs: a wrong check cannot prove anything,
   since every lemma is proved (no Admitted, no axiom). *)

From Coq Require Import QArith Qabs Qround List Lia Psatz Bool Permutation.
Import ListNotations.
Open Scope Q_scope.

(* ============================================================================================ *)
(* 1. Definitions: networks, activation vectors, spans, matches                                  *)

(* Vectors and matrices are lists of rationals; a missing entry reads as 0. *)
Definition vec := list Q.
Definition mat := list vec.
Definition at_ (v : vec) (j : nat) : Q := nth j v 0.
Definition row (A : mat) (i : nat) : vec := nth i A [].
Definition rows (A : mat) (X : list nat) : list vec := map (row A) X.

(* sum_{i < n} f i (Qred keeps each partial sum in lowest terms: the same rational, short numbers) *)
Fixpoint sumn (n : nat) (f : nat -> Q) : Q :=
  match n with O => 0 | S k => Qred (sumn k f + f k) end.

(* --- networks and the exact forward pass --- *)
Inductive activation := Relu | Identity.
Record layer := mk_layer { weights : mat; bias : vec; act : activation }.
Definition network := list layer.

Definition relu (q : Q) : Q := if Qle_bool q 0 then 0 else q.
Definition dotl (u v : vec) : Q := fold_right (fun a b => Qred (a + b)) 0 (map (fun p => fst p * snd p) (combine u v)).
(* One layer: act(W h + b).  Qred only normalises the fraction (Qred q == q). *)
Definition layer_out (L : layer) (h : vec) : vec :=
  map (fun p => let q := Qred (dotl (fst p) h + snd p) in
                match act L with Relu => relu q | Identity => q end)
      (combine (weights L) (bias L)).
(* The values of layers 0 (the input), 1, ..., at one point. *)
Fixpoint values (net : network) (x : vec) : list vec :=
  x :: match net with [] => [] | L :: net' => values net' (layer_out L x) end.
Definition value (net : network) (k : nat) (x : vec) : vec := nth k (values net x) [].
Definition output (net : network) (x : vec) : vec := value net (length net) x.
(* Activation matrix of layer k on the data points X (one point per entry of X): one row per
   neuron, one column per point.  Row i is the activation vector z_i of neuron i. *)
Definition acts (net : network) (k : nat) (X : mat) : mat :=
  let V := map (value net k) X in  (* the layer's values at each point, computed once *)
  map (fun i => map (fun v => at_ v i) V) (seq 0 (length (hd [] V))).

(* --- exact matrix equality (activations, identical) --- *)
Definition mat_eq (A B : mat) : Prop := Forall2 (Forall2 Qeq) A B.

(* --- spans in Q^d (d = number of data points) --- *)
Definition dotv (d : nat) (u v : vec) : Q := sumn d (fun j => at_ u j * at_ v j).
Definition n2 (d : nat) (u : vec) : Q := dotv d u u.
(* coordinate j of sum_i c_i S_i *)
Definition comb (c : vec) (S : list vec) (j : nat) : Q :=
  sumn (length S) (fun i => at_ c i * at_ (nth i S []) j).
Definition in_span (d : nat) (z : vec) (S : list vec) : Prop :=
  exists c : vec, forall j, (j < d)%nat -> at_ z j == comb c S j.
(* z within eps of span S, eps^2 = e2: |z - S c|^2 <= eps^2 |z|^2 for some c (the distance to a
   subspace is attained, so this is dist(z, span S) <= eps |z|). *)
Definition resid2 (d : nat) (z : vec) (S : list vec) (c : vec) : Q :=
  sumn d (fun j => (at_ z j - comb c S j) * (at_ z j - comb c S j)).
Definition within (d : nat) (e2 : Q) (z : vec) (S : list vec) : Prop :=
  exists c : vec, resid2 d z S c <= e2 * n2 d z.

(* A pair of neuron sets (X of A, Y of B) is a match under closeness P when every z_x is P-close
   to span z_Y and every z_y to span z_X.  Exact: span z_X = span z_Y. *)
Definition is_pmatch (P : vec -> list vec -> Prop) (A B : mat) (X Y : list nat) : Prop :=
  (forall x, In x X -> P (row A x) (rows B Y)) /\ (forall y, In y Y -> P (row B y) (rows A X)).
Definition is_match d := is_pmatch (in_span d).
Definition is_ematch d e2 := is_pmatch (within d e2).

(* The maximum match: a match containing every match (of neurons that exist). *)
Definition is_max (P : vec -> list vec -> Prop) (A B : mat) (X Y : list nat) : Prop :=
  is_pmatch P A B X Y /\ incl X (seq 0 (length A)) /\ incl Y (seq 0 (length B)) /\
  forall X' Y', incl X' (seq 0 (length A)) -> incl Y' (seq 0 (length B)) ->
                is_pmatch P A B X' Y' -> incl X' X /\ incl Y' Y.
Definition is_max_match d := is_max (in_span d).
Definition is_max_ematch d e2 := is_max (within d e2).
(* Similarity of the maximum eps-match: (|X*| + |Y*|) / (|A| + |B|) == s. *)
Definition match_similarity (d : nat) (e2 : Q) (A B : mat) (s : Q) : Prop :=
  exists X Y, is_max_ematch d e2 A B X Y /\ NoDup X /\ NoDup Y /\
    inject_Z (Z.of_nat (length X + length Y)) == s * inject_Z (Z.of_nat (length A + length B)).

(* A simple match (X, Y): non-empty, a match, and not the union of the matches strictly inside it. *)
Inductive member := MX (i : nat) | MY (j : nat).
Definition in_pair (m : member) (X Y : list nat) : Prop := match m with MX i => In i X | MY j => In j Y end.
Definition strictly_inside (X' Y' X Y : list nat) : Prop := incl X' X /\ incl Y' Y /\ ~ (incl X X' /\ incl Y Y').
Definition simple_match (d : nat) (e2 : Q) (A B : mat) (X Y : list nat) : Prop :=
  (X <> [] \/ Y <> []) /\ is_ematch d e2 A B X Y /\
  ~ (forall m, in_pair m X Y -> exists X' Y', strictly_inside X' Y' X Y /\ is_ematch d e2 A B X' Y' /\ in_pair m X' Y').

(* --- dimension: a basis of r rows; isomorphic spans: bases of equal size --- *)
Definition independent (d : nat) (S : list vec) : Prop :=
  forall c : vec, (forall j, (j < d)%nat -> comb c S j == 0) ->
                  forall k, (k < length S)%nat -> at_ c k == 0.
Definition dim_span (d : nat) (A : mat) (r : nat) : Prop :=
  exists I : list nat, length I = r /\ incl I (seq 0 (length A)) /\ independent d (rows A I) /\
    forall i, (i < length A)%nat -> in_span d (row A i) (rows A I).
Definition isomorphic (d : nat) (A B : mat) : Prop := exists r, dim_span d A r /\ dim_span d B r.

(* --- the ladder: A = P B (a permutation), A = P S B (positive scales), A = M B (M invertible) --- *)
Definition permutation_equiv (d : nat) (A B : mat) : Prop :=
  length A = length B /\ exists p : list nat, Permutation p (seq 0 (length A)) /\
    forall i, (i < length A)%nat -> forall j, (j < d)%nat -> at_ (row A i) j == at_ (row B (nth i p 0%nat)) j.
Definition scaled_permutation_equiv (d : nat) (A B : mat) : Prop :=
  length A = length B /\ exists (p : list nat) (s : vec), Permutation p (seq 0 (length A)) /\
    forall i, (i < length A)%nat -> 0 < at_ s i /\
      forall j, (j < d)%nat -> at_ (row A i) j == at_ s i * at_ (row B (nth i p 0%nat)) j.
(* M N = I (n x n) *)
Definition is_inverse (n : nat) (M N : mat) : Prop :=
  forall i k, (i < n)%nat -> (k < n)%nat -> sumn n (fun j => at_ (row M i) j * at_ (row N j) k) == if Nat.eqb i k then 1 else 0.
(* Q Q^T = I and Q^T Q = I *)
Definition orthonormal (n : nat) (Q : mat) : Prop :=
  forall i k, (i < n)%nat -> (k < n)%nat ->
    sumn n (fun j => at_ (row Q i) j * at_ (row Q k) j) == (if Nat.eqb i k then 1 else 0) /\
    sumn n (fun j => at_ (row Q j) i * at_ (row Q j) k) == (if Nat.eqb i k then 1 else 0).
Definition orthogonal_equiv (d : nat) (A B : mat) : Prop :=
  length A = length B /\ exists Q : mat, orthonormal (length A) Q /\
    forall i, (i < length A)%nat -> forall j, (j < d)%nat -> at_ (row A i) j == comb (row Q i) B j.
Definition linear_equiv (d : nat) (A B : mat) : Prop :=
  length A = length B /\ exists M N : mat, is_inverse (length A) M N /\ is_inverse (length A) N M /\
    forall i, (i < length A)%nat -> forall j, (j < d)%nat -> at_ (row A i) j == comb (row M i) B j.

(* --- linear CKA of the centred representations, squared --- *)
Definition center (d : nat) (A : mat) : mat :=
  map (fun r => map (fun x => x - sumn d (at_ r) / inject_Z (Z.of_nat d)) r) A.
(* |R S^T|_F^2 *)
Definition hsic (d : nat) (R S : mat) : Q :=
  sumn (length R) (fun i => sumn (length S) (fun j => dotv d (row R i) (row S j) * dotv d (row R i) (row S j))).
Definition cka2 (d : nat) (A B : mat) : Q :=
  let Ac := center d A in let Bc := center d B in
  hsic d Ac Bc * hsic d Ac Bc / (hsic d Ac Ac * hsic d Bc Bc).
Definition opt (P : Q -> Prop) (o : option Q) : Prop := match o with None => True | Some t => P t end.
(* CKA = t, CKA >= lo, CKA <= hi (t, lo, hi >= 0), stated on squares; CKA must be defined. *)
Definition cka_claim (d : nat) (A B : mat) (eq lo hi : option Q) : Prop :=
  ~ hsic d (center d A) (center d A) == 0 /\ ~ hsic d (center d B) (center d B) == 0 /\
  opt (fun t => cka2 d A B == t * t) eq /\ opt (fun t => t * t <= cka2 d A B) lo /\
  opt (fun t => cka2 d A B <= t * t) hi.

(* --- equality of network functions on a polyhedron --- *)
Inductive constraint := Le (a : vec) (b : Q) | Eqc (a : vec) (b : Q).
Definition sat (c : constraint) (x : vec) : Prop :=
  match c with Le a b => dotl a x <= b | Eqc a b => dotl a x == b end.
Definition equal_on (n : nat) (D : list constraint) (f g : network) : Prop :=
  forall x : vec, length x = n -> (forall c, In c D -> sat c x) -> Forall2 Qeq (output f x) (output g x).

(* ============================================================================================ *)
(* 2. The checks: booleans that vm_compute evaluates                                            *)

Definition Qltb (a b : Q) : bool := negb (Qle_bool b a).
Definition memb (v : nat) (X : list nat) : bool := existsb (Nat.eqb v) X.
Fixpoint vec_eqb (u v : vec) : bool :=
  match u, v with [], [] => true | a :: u', b :: v' => Qeq_bool a b && vec_eqb u' v' | _, _ => false end.
Fixpoint mat_eqb (A B : mat) : bool :=
  match A, B with [], [] => true | r :: A', s :: B' => vec_eqb r s && mat_eqb A' B' | _, _ => false end.

(* The checks read vectors structurally (each list once), not with at_, whose nth costs a walk per
   entry; section 3 proves each equal to the definition it checks (dot_upto_spec ...). *)
Fixpoint dot_upto (d : nat) (u v : vec) : Q :=
  match d with O => 0 | S d' => Qred (hd 0 u * hd 0 v + dot_upto d' (tl u) (tl v)) end.
Fixpoint veq_upto (d : nat) (u v : vec) : bool :=
  match d with O => true | S d' => Qeq_bool (hd 0 u) (hd 0 v) && veq_upto d' (tl u) (tl v) end.
Fixpoint sum_upto (d : nat) (u : vec) : Q := match d with O => 0 | S d' => Qred (hd 0 u + sum_upto d' (tl u)) end.
(* entrywise sum and multiple, a missing entry read as 0 *)
Fixpoint vadd (u v : vec) : vec :=
  match u, v with [], _ => v | _, [] => u | a :: u', b :: v' => Qred (a + b) :: vadd u' v' end.
Definition vscale (c : Q) (u : vec) : vec := map (fun a => Qred (c * a)) u.
(* sum_i c_i S_i *)
Fixpoint lincomb (c : vec) (S : list vec) : vec :=
  match c, S with a :: c', s :: S' => vadd (vscale a s) (lincomb c' S') | _, _ => [] end.
Definition vsub (u v : vec) : vec := vadd u (vscale (-1) v).

Definition check_span (d : nat) (z : vec) (S : list vec) (c : vec) : bool := veq_upto d z (lincomb c S).
Definition check_within (d : nat) (e2 : Q) (z : vec) (S : list vec) (c : vec) : bool :=
  let r := vsub z (lincomb c S) in Qle_bool (dot_upto d r r) (e2 * dot_upto d z z).

(* coefficients cs (one per member of X, in order) place each z_x close to S *)
Fixpoint check_cover (chk : vec -> list vec -> vec -> bool) (A : mat) (S : list vec)
         (X : list nat) (cs : list vec) : bool :=
  match X, cs with
  | [], [] => true
  | x :: X', c :: cs' => chk (row A x) S c && check_cover chk A S X' cs'
  | _, _ => false
  end.
Definition check_pmatch chk (A B : mat) (X Y : list nat) (cx cy : list vec) : bool :=
  check_cover chk A (rows B Y) X cx && check_cover chk B (rows A X) Y cy.

(* w is orthogonal to z_u for every u of O, and (w.z_v)^2 > e2 |z_v|^2 |w|^2 (so w.z_v <> 0) *)
Definition removal_ok (d : nat) (e2 : Q) (mine other : mat) (M O : list nat) (v : nat) (w : vec) : bool :=
  memb v M && forallb (fun u => Qeq_bool (dot_upto d w (row other u)) 0) O &&
  let z := row mine v in let p := dot_upto d w z in Qltb (e2 * dot_upto d z z * dot_upto d w w) (p * p).

Inductive side := SX | SY.
Definition removal := (side * nat * vec)%type.
Definition drop (v : nat) (X : list nat) : list nat := filter (fun u => negb (Nat.eqb u v)) X.
Definition check_failure (d : nat) (e2 : Q) (A B : mat) (X Y : list nat) (r : removal) : bool :=
  match r with
  | (SX, v, w) => removal_ok d e2 A B X Y v w
  | (SY, v, w) => removal_ok d e2 B A Y X v w
  end.
Fixpoint replay (d : nat) (e2 : Q) (A B : mat) (X Y : list nat) (tr : list removal)
  : option (list nat * list nat) :=
  match tr with
  | [] => Some (X, Y)
  | (SX, v, w) as r :: t => if check_failure d e2 A B X Y r then replay d e2 A B (drop v X) Y t else None
  | (SY, v, w) as r :: t => if check_failure d e2 A B X Y r then replay d e2 A B X (drop v Y) t else None
  end.
Fixpoint list_eqb (X Y : list nat) : bool :=
  match X, Y with [], [] => true | a :: X', b :: Y' => Nat.eqb a b && list_eqb X' Y' | _, _ => false end.
(* the trace, replayed from all neurons, leaves (X, Y), and (X, Y) is a match *)
Definition check_max chk (d : nat) (e2 : Q) (A B : mat) (X Y : list nat) (tr : list removal)
           (cx cy : list vec) : bool :=
  match replay d e2 A B (seq 0 (length A)) (seq 0 (length B)) tr with
  | Some (X1, Y1) => list_eqb X1 X && list_eqb Y1 Y && check_pmatch chk A B X Y cx cy
  | None => false
  end.
Definition same_set (X Y : list nat) : bool := forallb (fun x => memb x Y) X && forallb (fun y => memb y X) Y.

(* dimension: rows I of A with pivot columns P; K a right inverse of the pivot block
   (block K = identity); cs writes every row of A in the rows I *)
Definition check_dim (d : nat) (A : mat) (r : nat) (I P : list nat) (K : mat) (cs : list vec) : bool :=
  Nat.eqb (length I) r && Nat.eqb (length P) r &&
  forallb (fun i => Nat.ltb i (length A)) I && forallb (fun p => Nat.ltb p d) P &&
  forallb (fun t => forallb (fun a =>
     Qeq_bool (sumn r (fun b => at_ (row A (nth t I 0%nat)) (nth b P 0%nat) * at_ (row K b) a))
              (if Nat.eqb t a then 1 else 0)) (seq 0 r)) (seq 0 r) &&
  Nat.eqb (length cs) (length A) &&
  forallb (fun i => check_span d (row A i) (rows A I) (nth i cs [])) (seq 0 (length A)).

Definition optb (p : Q -> bool) (o : option Q) : bool := match o with None => true | Some t => p t end.
(* CKA^2 computed structurally: each row's mean once, each dot product in one pass *)
Definition center_f (d : nat) (A : mat) : mat :=
  map (fun r => let m := sum_upto d r / inject_Z (Z.of_nat d) in map (fun x => Qred (x - m)) r) A.
Definition suml {T} (g : T -> Q) (L : list T) : Q := fold_right (fun a acc => Qred (g a + acc)) 0 L.
Definition hsic_f (d : nat) (R S : mat) : Q := suml (fun r => suml (fun s => let q := dot_upto d r s in q * q) S) R.
(* (hsic A A, hsic B B, CKA^2) of the centred matrices *)
Definition cka_parts (d : nat) (A B : mat) : Q * Q * Q :=
  let Ac := center_f d A in let Bc := center_f d B in
  let ha := hsic_f d Ac Ac in let hb := hsic_f d Bc Bc in let hab := hsic_f d Ac Bc in (ha, hb, hab * hab / (ha * hb)).
Definition cka_claimb (d : nat) (A B : mat) (eq lo hi : option Q) : bool :=
  match cka_parts d A B with (ha, hb, c2) =>
  negb (Qeq_bool ha 0) && negb (Qeq_bool hb 0) &&
  optb (fun t => Qeq_bool c2 (t * t)) eq && optb (fun t => Qle_bool (t * t) c2) lo &&
  optb (fun t => Qle_bool c2 (t * t)) hi end.

Definition satb (c : constraint) (x : vec) : bool :=
  match c with Le a b => Qle_bool (dotl a x) b | Eqc a b => Qeq_bool (dotl a x) b end.
Definition check_point (n : nat) (D : list constraint) (f g : network) (x : vec) : bool :=
  Nat.eqb (length x) n && forallb (fun c => satb c x) D && negb (vec_eqb (output f x) (output g x)).

(* ============================================================================================ *)
(* 3. Soundness, proved once per witness form                                                  *)

(* --- finite sums --- *)
Lemma sumn_S n f : sumn (S n) f == sumn n f + f n.
Proof. cbn [sumn]. apply Qred_correct. Qed.
Lemma sumn_ext n f g : (forall i, (i < n)%nat -> f i == g i) -> sumn n f == sumn n g.
Proof. induction n; cbn [sumn] in *; rewrite ?Qred_correct in *; intros H. reflexivity. rewrite IHn by (intros; apply H; lia).
  rewrite (H n) by lia. reflexivity. Qed.
Lemma sumn_zero n f : (forall i, (i < n)%nat -> f i == 0) -> sumn n f == 0.
Proof. induction n; cbn [sumn] in *; rewrite ?Qred_correct in *; intros H. reflexivity. rewrite IHn by (intros; apply H; lia).
  rewrite (H n) by lia. reflexivity. Qed.
Lemma sumn_scale n c f : sumn n (fun i => c * f i) == c * sumn n f.
Proof. induction n; cbn [sumn] in *; rewrite ?Qred_correct in *. ring. rewrite IHn. ring. Qed.
Lemma sumn_scale_r n c f : sumn n (fun i => f i * c) == sumn n f * c.
Proof. induction n; cbn [sumn] in *; rewrite ?Qred_correct in *. ring. rewrite IHn. ring. Qed.
Lemma sumn_plus n f g : sumn n (fun i => f i + g i) == sumn n f + sumn n g.
Proof. induction n; cbn [sumn] in *; rewrite ?Qred_correct in *. ring. rewrite IHn. ring. Qed.
Lemma sumn_swap n m f : sumn n (fun i => sumn m (fun j => f i j)) == sumn m (fun j => sumn n (fun i => f i j)).
Proof. induction n. cbn [sumn]. symmetry; apply sumn_zero; reflexivity.
  rewrite sumn_S, IHn, <- sumn_plus. apply sumn_ext. intros j _. rewrite sumn_S. reflexivity. Qed.
Lemma sumn_delta n f a : (a < n)%nat -> sumn n (fun i => f i * (if Nat.eqb i a then 1 else 0)) == f a.
Proof. induction n; intros H; cbn [sumn] in *; rewrite ?Qred_correct in *. lia.
  destruct (Nat.eqb_spec n a).
  - subst. rewrite sumn_zero. ring. intros i Hi. destruct (Nat.eqb_spec i a). lia. ring.
  - rewrite IHn by lia. ring. Qed.
Lemma sumn_nonneg n f : (forall i, 0 <= f i) -> 0 <= sumn n f.
Proof. induction n; cbn [sumn] in *; rewrite ?Qred_correct in *; intros H. lra. specialize (IHn H). specialize (H n). lra. Qed.
Lemma sumn_sq_zero n f : sumn n (fun j => f j * f j) == 0 -> forall j, (j < n)%nat -> f j == 0.
Proof. induction n; cbn [sumn] in *; rewrite ?Qred_correct in *; intros H j Hj. lia.
  assert (0 <= sumn n (fun j => f j * f j)) by (apply sumn_nonneg; intros; nra).
  assert (f n * f n == 0) by nra. assert (sumn n (fun j => f j * f j) == 0) by nra.
  destruct (Nat.eq_dec j n). subst. nra. apply IHn; auto; lia. Qed.

(* --- Cauchy-Schwarz over Q^d --- *)
Lemma sq_nonneg (x : Q) : 0 <= x * x.
Proof. nra. Qed.
Lemma expand2 d (u v : nat -> Q) a b :
  sumn d (fun j => (a * u j - b * v j) * (a * u j - b * v j)) ==
  a * a * sumn d (fun j => u j * u j) - 2 * a * b * sumn d (fun j => u j * v j) + b * b * sumn d (fun j => v j * v j).
Proof. induction d; cbn [sumn] in *; rewrite ?Qred_correct in *. ring. rewrite IHd. ring. Qed.
Lemma cauchy_schwarz d (u v : nat -> Q) :
  sumn d (fun j => u j * v j) * sumn d (fun j => u j * v j) <=
  sumn d (fun j => u j * u j) * sumn d (fun j => v j * v j).
Proof.
  set (U := sumn d (fun j => u j * u j)). set (V := sumn d (fun j => v j * v j)).
  set (D := sumn d (fun j => u j * v j)).
  assert (HU : 0 <= U) by (apply sumn_nonneg; intros; nra).
  assert (HV : 0 <= V) by (apply sumn_nonneg; intros; nra).
  destruct (Qeq_dec V 0) as [H0 | H0].
  - assert (D == 0). { unfold D. apply sumn_zero. intros j Hj.
      rewrite (sumn_sq_zero d v H0 j Hj). ring. }
    rewrite H. nra.
  - pose proof (sumn_nonneg d (fun j => (V * u j - D * v j) * (V * u j - D * v j))) as Hn.
    rewrite expand2 in Hn. fold U V D in Hn.
    assert (0 <= V * (V * U - D * D)).
    { assert (0 <= V * V * U - 2 * V * D * D + D * D * V) by (apply Hn; intros; apply sq_nonneg).
      setoid_replace (V * (V * U - D * D)) with (V * V * U - 2 * V * D * D + D * D * V) by ring. auto. }
    assert (0 < V) by (apply Qle_lteq in HV; destruct HV; [auto | exfalso; apply H0; symmetry; auto]).
    apply Qle_minus_iff. apply (Qmult_le_l _ _ V); auto. setoid_replace (V * 0) with 0 by ring.
    setoid_replace (V * (U * V + - (D * D))) with (V * (V * U - D * D)) by ring. auto.
Qed.

(* --- combinations --- *)
Lemma nth_rows A X t : (t < length X)%nat -> nth t (rows A X) [] = row A (nth t X 0%nat).
Proof. intros H. unfold rows. rewrite (nth_indep _ [] (row A 0%nat)) by (rewrite map_length; auto).
  apply map_nth. Qed.
Lemma dot_comb d w c S :
  sumn d (fun j => at_ w j * comb c S j) == sumn (length S) (fun i => at_ c i * dotv d w (nth i S [])).
Proof. unfold comb, dotv.
  rewrite (sumn_ext d _ (fun j => sumn (length S) (fun i => at_ c i * (at_ w j * at_ (nth i S []) j)))).
  - rewrite sumn_swap. apply sumn_ext. intros i _. rewrite <- sumn_scale. apply sumn_ext; intros; ring.
  - intros j _. rewrite <- sumn_scale. apply sumn_ext. intros; ring. Qed.
Lemma dot_comb_zero d w c S S' : incl S S' -> (forall s, In s S' -> dotv d w s == 0) ->
  sumn d (fun j => at_ w j * comb c S j) == 0.
Proof. intros Hi Ho. rewrite dot_comb. apply sumn_zero. intros i Hlt.
  rewrite (Ho (nth i S [])). ring. apply Hi, nth_In; auto. Qed.

(* A closeness P is blocked by an orthogonal vector when z P-close to S, w orthogonal to a
   superset S' of S force (w.z)^2 <= e2 |z|^2 |w|^2.  Both closeness notions are. *)
Definition blocks (d : nat) (e2 : Q) (P : vec -> list vec -> Prop) : Prop :=
  forall z S S' w, P z S -> incl S S' -> (forall s, In s S' -> dotv d w s == 0) ->
    dotv d w z * dotv d w z <= e2 * n2 d z * n2 d w.

Lemma in_span_blocks d : blocks d 0 (in_span d).
Proof. intros z S S' w [c Hc] Hi Ho. simpl.
  assert (dotv d w z == 0).
  { unfold dotv. rewrite (sumn_ext d _ (fun j => at_ w j * comb c S j)).
    apply (dot_comb_zero d w c S S'); auto. intros j Hj. rewrite (Hc j Hj). reflexivity. }
  rewrite H. lra. Qed.

Lemma within_blocks d e2 : blocks d e2 (within d e2).
Proof. intros z S S' w [c Hc] Hi Ho. simpl.
  pose proof (cauchy_schwarz d (at_ w) (fun j => at_ z j - comb c S j)) as Hcs.
  assert (Hd : sumn d (fun j => at_ w j * (at_ z j - comb c S j)) == dotv d w z).
  { rewrite (sumn_ext d _ (fun j => at_ w j * at_ z j + (-1) * (at_ w j * comb c S j))) by (intros; ring).
    rewrite sumn_plus, sumn_scale, (dot_comb_zero d w c S S'); auto. unfold dotv. ring. }
  rewrite Hd in Hcs. unfold resid2 in Hc. fold (n2 d w) in Hcs.
  assert (0 <= n2 d w) by (apply sumn_nonneg; intros; nra).
  change (sumn d (fun j => at_ w j * at_ w j)) with (n2 d w) in Hcs.
  nra. Qed.

(* --- the structural evaluations equal the definitions --- *)
Lemma sumn_shift n f : sumn (S n) f == f O + sumn n (fun j => f (S j)).
Proof. induction n. rewrite sumn_S. cbn [sumn]. ring. rewrite sumn_S, IHn, sumn_S. ring. Qed.
Lemma at_0 u : at_ u 0 = hd 0 u.
Proof. destruct u; reflexivity. Qed.
Lemma at_S u j : at_ u (S j) = at_ (tl u) j.
Proof. destruct u; unfold at_; simpl; auto. destruct j; reflexivity. Qed.
Lemma dot_upto_spec d : forall u v, dot_upto d u v == dotv d u v.
Proof. unfold dotv. induction d as [|d IH]; intros u v. reflexivity.
  cbn [dot_upto]. rewrite Qred_correct, sumn_shift, IH, !at_0. apply Qplus_comp. reflexivity.
  apply sumn_ext. intros j _. rewrite !at_S. reflexivity. Qed.
Lemma sum_upto_spec d : forall u, sum_upto d u == sumn d (at_ u).
Proof. induction d as [|d IH]; intros u. reflexivity.
  cbn [sum_upto]. rewrite Qred_correct, sumn_shift, IH, at_0. apply Qplus_comp. reflexivity.
  apply sumn_ext. intros j _. rewrite at_S. reflexivity. Qed.
Lemma veq_upto_spec d : forall u v, veq_upto d u v = true -> forall j, (j < d)%nat -> at_ u j == at_ v j.
Proof. induction d as [|d IH]; intros u v H j Hj. lia. cbn [veq_upto] in H. apply andb_true_iff in H as [H0 H].
  destruct j. rewrite !at_0. apply Qeq_bool_iff; auto. rewrite !at_S. apply IH; auto. lia. Qed.
Lemma at_nil j : at_ [] j = 0.
Proof. destruct j; reflexivity. Qed.
Lemma at_vadd u : forall v j, at_ (vadd u v) j == at_ u j + at_ v j.
Proof. induction u as [|a u IH]; intros v j. simpl. rewrite at_nil. ring.
  destruct v as [|b v]. cbn [vadd]. rewrite at_nil. ring.
  cbn [vadd]. destruct j. rewrite !at_0. cbn [hd]. apply Qred_correct. rewrite !at_S. cbn [tl]. apply IH. Qed.
Lemma at_vscale c u j : at_ (vscale c u) j == c * at_ u j.
Proof. revert j. induction u as [|a u IH]; intros j. unfold vscale. simpl. rewrite at_nil. ring.
  unfold vscale in *. cbn [map]. destruct j. rewrite !at_0. cbn [hd]. apply Qred_correct. rewrite !at_S. cbn [tl]. apply IH. Qed.
Lemma at_lincomb c : forall S j, at_ (lincomb c S) j == comb c S j.
Proof. unfold comb. induction c as [|a c IH]; intros S j.
  - rewrite sumn_zero. destruct S; cbn [lincomb]; rewrite at_nil; reflexivity. intros i _. rewrite at_nil. ring.
  - destruct S as [|s S]. cbn [lincomb length sumn]. rewrite at_nil. reflexivity. cbn [lincomb length]. rewrite at_vadd, at_vscale, IH, sumn_shift. rewrite at_0.
    cbn [hd nth]. apply Qplus_comp. reflexivity. apply sumn_ext. intros i _. rewrite at_S. reflexivity. Qed.
Lemma at_vsub u v j : at_ (vsub u v) j == at_ u j - at_ v j.
Proof. unfold vsub. rewrite at_vadd, at_vscale. ring. Qed.

Lemma check_span_sound d z S c : check_span d z S c = true -> in_span d z S.
Proof. unfold check_span. intros H. exists c. intros j Hj. rewrite (veq_upto_spec d _ _ H j Hj). apply at_lincomb. Qed.
Lemma check_span_at d z S c : check_span d z S c = true -> forall j, (j < d)%nat -> at_ z j == comb c S j.
Proof. unfold check_span. intros H j Hj. rewrite (veq_upto_spec d _ _ H j Hj). apply at_lincomb. Qed.
Lemma check_within_sound d e2 z S c : check_within d e2 z S c = true -> within d e2 z S.
Proof. unfold check_within. intros H. exists c. apply Qle_bool_iff in H. rewrite !dot_upto_spec in H.
  unfold resid2, n2. unfold dotv in H. rewrite (sumn_ext d _ (fun j => at_ (vsub z (lincomb c S)) j * at_ (vsub z (lincomb c S)) j)).
  exact H. intros j _. rewrite at_vsub, at_lincomb. reflexivity. Qed.

Lemma check_cover_sound (chk : vec -> list vec -> vec -> bool) (P : vec -> list vec -> Prop) A S :
  (forall z c, chk z S c = true -> P z S) ->
  forall X cs, check_cover chk A S X cs = true -> forall x, In x X -> P (row A x) S.
Proof. intros Hs X. induction X as [|x X IH]; intros cs H y Hy. destruct Hy.
  destruct cs as [|c cs]. discriminate. simpl in H. apply andb_true_iff in H as [H1 H2].
  destruct Hy. subst. eauto. eauto. Qed.

Lemma check_pmatch_sound chk (P : vec -> list vec -> Prop) A B X Y cx cy :
  (forall z S c, chk z S c = true -> P z S) -> check_pmatch chk A B X Y cx cy = true -> is_pmatch P A B X Y.
Proof. intros Hs H. unfold check_pmatch in H. apply andb_true_iff in H as [H1 H2].
  split; eapply check_cover_sound; eauto. Qed.

Lemma memb_In v X : memb v X = true <-> In v X.
Proof. unfold memb. rewrite existsb_exists. split.
  - intros [y [Hy Hv]]. apply Nat.eqb_eq in Hv. subst. auto.
  - intros H. exists v. split; auto. apply Nat.eqb_refl. Qed.

Lemma removal_sound d e2 P (mine other : mat) M O v w :
  blocks d e2 P -> removal_ok d e2 mine other M O v w = true ->
  In v M /\ forall O', incl O' O -> ~ P (row mine v) (rows other O').
Proof. intros Hb H. unfold removal_ok in H. apply andb_true_iff in H as [H H3].
  apply andb_true_iff in H as [H1 H2]. split. apply memb_In; auto.
  intros O' Hi Hp. rewrite forallb_forall in H2.
  assert (Ho : forall s, In s (rows other O) -> dotv d w s == 0).
  { intros s Hs. unfold rows in Hs. apply in_map_iff in Hs as [u [Hu Hin]]. subst.
    rewrite <- dot_upto_spec. apply Qeq_bool_iff, H2; auto. }
  specialize (Hb _ _ _ w Hp (incl_map (row other) Hi) Ho). simpl in Hb.
  cbv zeta in H3. unfold Qltb in H3. apply negb_true_iff in H3.
  assert (~ (dotv d w (row mine v) * dotv d w (row mine v) <= e2 * n2 d (row mine v) * n2 d w)).
  { intros Hle. unfold n2 in Hle. rewrite <- !dot_upto_spec in Hle. apply Qle_bool_iff in Hle. congruence. }
  auto. Qed.

Lemma check_failure_sound d e2 P A B X Y r :
  blocks d e2 P -> check_failure d e2 A B X Y r = true -> ~ is_pmatch P A B X Y.
Proof. intros Hb H [Hx Hy]. destruct r as [[s v] w]. destruct s.
  - apply (removal_sound d e2 P A B X Y v w Hb) in H as [Hv Hn]. apply (Hn Y (incl_refl _)); auto.
  - apply (removal_sound d e2 P B A Y X v w Hb) in H as [Hv Hn]. apply (Hn X (incl_refl _)); auto. Qed.

Lemma In_drop v X u : In u (drop v X) <-> In u X /\ u <> v.
Proof. unfold drop. rewrite filter_In, negb_true_iff, Nat.eqb_neq. tauto. Qed.

(* The removal trace: every match inside the starting pair lies inside the pair left at the end. *)
Lemma replay_sound d e2 P A B : blocks d e2 P ->
  forall tr X Y X1 Y1, replay d e2 A B X Y tr = Some (X1, Y1) ->
  incl X1 X /\ incl Y1 Y /\
  forall X' Y', incl X' X -> incl Y' Y -> is_pmatch P A B X' Y' -> incl X' X1 /\ incl Y' Y1.
Proof. intros Hb tr. induction tr as [|[[s v] w] tr IH]; intros X Y X1 Y1 H; simpl in H.
  - injection H; intros; subst. repeat split; auto using incl_refl; intros; tauto.
  - destruct s; simpl in H.
    + destruct (removal_ok d e2 A B X Y v w) eqn:Hc; try discriminate.
      destruct (IH _ _ _ _ H) as [H1 [H2 H3]].
      apply (removal_sound d e2 P A B X Y v w Hb) in Hc as [Hv Hn].
      split; [|split]. intros u Hu. apply H1, In_drop in Hu. tauto. auto.
      intros X' Y' Hx Hy Hm. apply H3; auto. intros u Hu. apply In_drop. split. auto.
      intros ->. destruct Hm as [Hmx _]. apply (Hn Y' Hy (Hmx v Hu)).
    + destruct (removal_ok d e2 B A Y X v w) eqn:Hc; try discriminate.
      destruct (IH _ _ _ _ H) as [H1 [H2 H3]].
      apply (removal_sound d e2 P B A Y X v w Hb) in Hc as [Hv Hn].
      split; [|split]. auto. intros u Hu. apply H2, In_drop in Hu. tauto.
      intros X' Y' Hx Hy Hm. apply H3; auto. intros u Hu. apply In_drop. split. auto.
      intros ->. destruct Hm as [_ Hmy]. apply (Hn X' Hx (Hmy v Hu)).
Qed.

Lemma list_eqb_eq X Y : list_eqb X Y = true -> X = Y.
Proof. revert Y; induction X; destruct Y; simpl; intros H; try discriminate; auto.
  apply andb_true_iff in H as [H1 H2]. apply Nat.eqb_eq in H1. f_equal; auto. Qed.

Lemma check_max_sound chk d e2 (P : vec -> list vec -> Prop) A B X Y tr cx cy : blocks d e2 P ->
  (forall z S c, chk z S c = true -> P z S) ->
  check_max chk d e2 A B X Y tr cx cy = true -> is_max P A B X Y.
Proof. intros Hb Hs H. unfold check_max in H.
  destruct (replay d e2 A B _ _ tr) as [[X1 Y1]|] eqn:Hr; try discriminate.
  apply andb_true_iff in H as [H Hm]. apply andb_true_iff in H as [Hx Hy].
  apply list_eqb_eq in Hx, Hy. subst.
  destruct (replay_sound d e2 P A B Hb _ _ _ _ _ Hr) as [H1 [H2 H3]].
  split; [eapply check_pmatch_sound; eauto|]. split; [auto|]. split; [auto|].
  intros X' Y' Hx Hy Hm'. apply H3; auto. Qed.

Lemma max_unique P A B X Y X' Y' : is_max P A B X Y -> is_max P A B X' Y' ->
  incl X X' /\ incl X' X /\ incl Y Y' /\ incl Y' Y.
Proof. intros [Hm [Hx [Hy Ha]]] [Hm' [Hx' [Hy' Ha']]].
  destruct (Ha X' Y' Hx' Hy' Hm'). destruct (Ha' X Y Hx Hy Hm). tauto. Qed.

Lemma same_set_true X Y : incl X Y -> incl Y X -> same_set X Y = true.
Proof. intros H1 H2. unfold same_set. apply andb_true_iff. split; apply forallb_forall;
  intros; apply memb_In; auto. Qed.

(* --- the lemmas an exported proof applies --- *)
Lemma match_true d A B X Y cx cy : check_pmatch (check_span d) A B X Y cx cy = true -> is_match d A B X Y.
Proof. apply check_pmatch_sound. apply check_span_sound. Qed.
Lemma match_false d A B X Y r : check_failure d 0 A B X Y r = true -> ~ is_match d A B X Y.
Proof. apply check_failure_sound, in_span_blocks. Qed.
Lemma ematch_true d e2 A B X Y cx cy :
  check_pmatch (check_within d e2) A B X Y cx cy = true -> is_ematch d e2 A B X Y.
Proof. apply check_pmatch_sound. apply check_within_sound. Qed.
Lemma ematch_false d e2 A B X Y r : check_failure d e2 A B X Y r = true -> ~ is_ematch d e2 A B X Y.
Proof. apply check_failure_sound, within_blocks. Qed.

Lemma max_match_true d A B X Y tr cx cy :
  check_max (check_span d) d 0 A B X Y tr cx cy = true -> is_max_match d A B X Y.
Proof. apply check_max_sound. apply in_span_blocks. apply check_span_sound. Qed.
Lemma max_ematch_true d e2 A B X Y tr cx cy :
  check_max (check_within d e2) d e2 A B X Y tr cx cy = true -> is_max_ematch d e2 A B X Y.
Proof. apply check_max_sound. apply within_blocks. apply check_within_sound. Qed.
(* a proved maximum match (X, Y) that is not (Xc, Yc) as sets refutes the claim (Xc, Yc) *)
Lemma max_false P A B X Y Xc Yc : is_max P A B X Y ->
  same_set X Xc && same_set Y Yc = false -> ~ is_max P A B Xc Yc.
Proof. intros H Hn Hc. destruct (max_unique _ _ _ _ _ _ _ H Hc) as [H1 [H2 [H3 H4]]].
  rewrite (same_set_true _ _ H1 H2), (same_set_true _ _ H3 H4) in Hn. discriminate. Qed.
Lemma max_match_false d A B X Y tr cx cy Xc Yc :
  check_max (check_span d) d 0 A B X Y tr cx cy && negb (same_set X Xc && same_set Y Yc) = true ->
  ~ is_max_match d A B Xc Yc.
Proof. intros H. apply andb_true_iff in H as [H1 H2]. apply negb_true_iff in H2.
  apply (max_false _ _ _ X Y); auto. apply (max_match_true d A B X Y tr cx cy H1). Qed.
Lemma max_ematch_false d e2 A B X Y tr cx cy Xc Yc :
  check_max (check_within d e2) d e2 A B X Y tr cx cy && negb (same_set X Xc && same_set Y Yc) = true ->
  ~ is_max_ematch d e2 A B Xc Yc.
Proof. intros H. apply andb_true_iff in H as [H1 H2]. apply negb_true_iff in H2.
  apply (max_false _ _ _ X Y); auto. apply (max_ematch_true d e2 A B X Y tr cx cy H1). Qed.

(* --- similarity --- *)
Lemma NoDup_drop v X : NoDup X -> NoDup (drop v X).
Proof. induction X; simpl; intros H. constructor. inversion H; subst.
  destruct (negb (Nat.eqb a v)); auto. constructor; auto. rewrite In_drop. tauto. Qed.
Lemma replay_nodup d e2 A B : forall tr X Y X1 Y1, NoDup X -> NoDup Y ->
  replay d e2 A B X Y tr = Some (X1, Y1) -> NoDup X1 /\ NoDup Y1.
Proof. intros tr; induction tr as [|[[s v] w] tr IH]; intros X Y X1 Y1 Hx Hy H; simpl in H.
  injection H; intros; subst; auto.
  destruct s; simpl in H.
  - destruct (removal_ok d e2 A B X Y v w); try discriminate. exact (IH _ _ _ _ (NoDup_drop v X Hx) Hy H).
  - destruct (removal_ok d e2 B A Y X v w); try discriminate. exact (IH _ _ _ _ Hx (NoDup_drop v Y Hy) H). Qed.
Definition sim_eqb (A B : mat) (X Y : list nat) (s : Q) : bool :=
  Qeq_bool (inject_Z (Z.of_nat (length X + length Y))) (s * inject_Z (Z.of_nat (length A + length B))).
Lemma similarity_true d e2 A B X Y tr cx cy s :
  check_max (check_within d e2) d e2 A B X Y tr cx cy && sim_eqb A B X Y s = true ->
  match_similarity d e2 A B s.
Proof. intros H. apply andb_true_iff in H as [H1 H2]. exists X, Y.
  pose proof (max_ematch_true _ _ _ _ _ _ _ _ _ H1). unfold check_max in H1.
  destruct (replay _ _ _ _ _ _ _) as [[X1 Y1]|] eqn:Hr; try discriminate.
  apply andb_true_iff in H1 as [H1 _]. apply andb_true_iff in H1 as [Hx Hy].
  apply list_eqb_eq in Hx, Hy. subst.
  destruct (replay_nodup _ _ _ _ _ _ _ _ _ (seq_NoDup _ 0) (seq_NoDup _ 0) Hr).
  split; [auto|]. split; [auto|]. split; [auto|]. apply Qeq_bool_iff; auto. Qed.
Lemma similarity_false d e2 A B X Y tr cx cy s :
  check_max (check_within d e2) d e2 A B X Y tr cx cy && negb (sim_eqb A B X Y s) = true ->
  ~ match_similarity d e2 A B s.
Proof. intros H [X' [Y' [Hm [Hx [Hy Hs]]]]]. apply andb_true_iff in H as [H1 H2].
  pose proof (max_ematch_true _ _ _ _ _ _ _ _ _ H1) as Hm0. unfold check_max in H1.
  destruct (replay _ _ _ _ _ _ _) as [[X1 Y1]|] eqn:Hr; try discriminate.
  apply andb_true_iff in H1 as [H1 _]. apply andb_true_iff in H1 as [Ex Ey].
  apply list_eqb_eq in Ex, Ey. subst.
  destruct (replay_nodup _ _ _ _ _ _ _ _ _ (seq_NoDup _ 0) (seq_NoDup _ 0) Hr) as [Nx Ny].
  destruct (max_unique _ _ _ _ _ _ _ Hm0 Hm) as [I1 [I2 [I3 I4]]].
  assert (length X = length X') by (apply Nat.le_antisymm; apply NoDup_incl_length; auto).
  assert (length Y = length Y') by (apply Nat.le_antisymm; apply NoDup_incl_length; auto).
  unfold sim_eqb in H2. rewrite H, H0 in H2. apply negb_true_iff in H2.
  apply Qeq_bool_iff in Hs. congruence. Qed.

(* --- dimension: an invertible pivot block --- *)
Lemma check_dim_sound d A r I P K cs : check_dim d A r I P K cs = true -> dim_span d A r.
Proof. unfold check_dim. intros H. repeat (apply andb_true_iff in H as [H ?]).
  rename H into HI. apply Nat.eqb_eq in HI.
  match goal with H : Nat.eqb (length P) r = true |- _ => apply Nat.eqb_eq in H; rename H into HP end.
  match goal with H : forallb (fun i => Nat.ltb i (length A)) I = true |- _ => rename H into Hrange end.
  match goal with H : forallb (fun p => Nat.ltb p d) P = true |- _ => rename H into Hpiv end.
  match goal with H : forallb (fun t => forallb _ (seq 0 r)) (seq 0 r) = true |- _ => rename H into Hinv end.
  match goal with H : forallb (fun i => check_span _ _ _ _) _ = true |- _ => rename H into Hcov end.
  exists I. split; [auto|split; [|split]].
  - intros i Hi. rewrite forallb_forall in Hrange. specialize (Hrange i Hi). apply Nat.ltb_lt in Hrange.
    apply in_seq. lia.
  - intros c Hc a Ha. unfold rows in Ha. rewrite map_length in Ha.
    rewrite forallb_forall in Hpiv, Hinv.
    set (blk := fun t b => at_ (row A (nth t I 0%nat)) (nth b P 0%nat)).
    assert (Hz : forall b, (b < r)%nat -> sumn r (fun t => at_ c t * blk t b) == 0).
    { intros b Hb. assert (Hpb : (nth b P 0 < d)%nat).
      { apply Nat.ltb_lt, Hpiv, nth_In. lia. }
      rewrite <- (Hc _ Hpb). unfold comb. unfold rows. rewrite map_length. rewrite HI.
      apply sumn_ext. intros t Ht. unfold blk. fold (rows A I). rewrite nth_rows by lia. reflexivity. }
    rewrite <- (sumn_delta r (at_ c) a) by lia.
    rewrite (sumn_ext r _ (fun t => at_ c t * sumn r (fun b => blk t b * at_ (row K b) a))).
    + rewrite (sumn_ext r _ (fun t => sumn r (fun b => at_ c t * blk t b * at_ (row K b) a)))
        by (intros; rewrite <- sumn_scale; apply sumn_ext; intros; ring).
      rewrite sumn_swap. apply sumn_zero. intros b Hb.
      rewrite sumn_scale_r. rewrite Hz by auto. ring.
    + intros t Ht. specialize (Hinv t). rewrite in_seq in Hinv.
      assert (Hta : forallb (fun a0 => Qeq_bool (sumn r (fun b => blk t b * at_ (row K b) a0))
                   (if Nat.eqb t a0 then 1 else 0)) (seq 0 r) = true) by (apply Hinv; lia).
      rewrite forallb_forall in Hta. specialize (Hta a). rewrite in_seq in Hta.
      apply Qeq_bool_iff in Hta; [|lia]. rewrite Hta. reflexivity.
  - intros i Hi. rewrite forallb_forall in Hcov. apply (check_span_sound _ _ _ (nth i cs [])).
    apply Hcov. apply in_seq. lia.
Qed.
Lemma dim_true d A r I P K cs : check_dim d A r I P K cs = true -> dim_span d A r.
Proof. apply check_dim_sound. Qed.
Lemma iso_true d A B r IA PA KA csA IB PB KB csB :
  check_dim d A r IA PA KA csA && check_dim d B r IB PB KB csB = true -> isomorphic d A B.
Proof. intros H. apply andb_true_iff in H as [H1 H2]. exists r. split; eapply check_dim_sound; eauto. Qed.

(* --- matrices equal or not, CKA, a differing point: decided by computation --- *)
Lemma vec_eqb_spec u v : vec_eqb u v = true <-> Forall2 Qeq u v.
Proof. revert v; induction u; destruct v; simpl; split; intros H; try discriminate; auto;
  try (inversion H; fail).
  - apply andb_true_iff in H as [H1 H2]. constructor. apply Qeq_bool_iff; auto. apply IHu; auto.
  - inversion H; subst. apply andb_true_iff. split. apply Qeq_bool_iff; auto. apply IHu; auto. Qed.
Lemma mat_eqb_spec A B : mat_eqb A B = true <-> mat_eq A B.
Proof. unfold mat_eq. revert B; induction A; destruct B; simpl; split; intros H; try discriminate; auto;
  try (inversion H; fail).
  - apply andb_true_iff in H as [H1 H2]. constructor. apply vec_eqb_spec; auto. apply IHA; auto.
  - inversion H; subst. apply andb_true_iff. split. apply vec_eqb_spec; auto. apply IHA; auto. Qed.
Lemma mat_eq_true A B : mat_eqb A B = true -> mat_eq A B.
Proof. apply mat_eqb_spec. Qed.
Lemma mat_eq_false A B : mat_eqb A B = false -> ~ mat_eq A B.
Proof. intros H Hm. apply mat_eqb_spec in Hm. congruence. Qed.

Lemma suml_sumn {T} (g : T -> Q) (t0 : T) L : suml g L == sumn (length L) (fun i => g (nth i L t0)).
Proof. induction L as [|a L IH]. reflexivity. unfold suml in *. cbn [fold_right length]. rewrite Qred_correct, IH, sumn_shift.
  reflexivity. Qed.
Lemma hsic_f_spec d R S : hsic_f d R S == hsic d R S.
Proof. unfold hsic_f, hsic. etransitivity. apply (suml_sumn _ []). apply sumn_ext. intros i _.
  etransitivity. apply (suml_sumn _ []). apply sumn_ext. intros j _. cbv zeta. rewrite dot_upto_spec. reflexivity. Qed.
Lemma at_map_ext (f g : Q -> Q) r j : (forall x, f x == g x) -> f 0 == 0 -> g 0 == 0 -> at_ (map f r) j == at_ (map g r) j.
Proof. intros H _ _. revert j. induction r as [|a r IH]; intros j. rewrite !at_nil. reflexivity.
  destruct j. rewrite !at_0. apply H. rewrite !at_S. apply IH. Qed.
Lemma at_map_ext' (f g : Q -> Q) r j : (forall x, f x == g x) -> at_ (map f r) j == at_ (map g r) j.
Proof. intros H. revert j. induction r as [|a r IH]; intros j. rewrite !at_nil. reflexivity.
  destruct j. rewrite !at_0. apply H. rewrite !at_S. apply IH. Qed.
Lemma center_f_at d A i j : at_ (row (center_f d A) i) j == at_ (row (center d A) i) j.
Proof. unfold row, center_f, center.
  destruct (Nat.lt_ge_cases i (length A)) as [Hi|Hi].
  - rewrite (nth_indep _ [] (map (fun x => Qred (x - sum_upto d [] / inject_Z (Z.of_nat d))) [])) by (rewrite map_length; auto).
    rewrite (nth_indep (map (fun r => map (fun x => x - sumn d (at_ r) / inject_Z (Z.of_nat d)) r) A) []
               ((fun r => map (fun x => x - sumn d (at_ r) / inject_Z (Z.of_nat d)) r) [])) by (rewrite map_length; auto).
    rewrite !(map_nth (fun r => _)). cbv zeta. apply at_map_ext'. intros x. rewrite Qred_correct, sum_upto_spec. reflexivity.
  - rewrite !nth_overflow by (rewrite map_length; auto). reflexivity. Qed.
Lemma hsic_ext d R R' S S' : length R = length R' -> length S = length S' ->
  (forall i j, (j < d)%nat -> at_ (row R i) j == at_ (row R' i) j) -> (forall i j, (j < d)%nat -> at_ (row S i) j == at_ (row S' i) j) ->
  hsic d R S == hsic d R' S'.
Proof. intros HR HS ER ES. unfold hsic. rewrite HR, HS. apply sumn_ext. intros i _. apply sumn_ext. intros j _.
  assert (E : dotv d (row R i) (row S j) == dotv d (row R' i) (row S' j)) by (unfold dotv; apply sumn_ext; intros k Hk; rewrite ER, ES by auto; reflexivity).
  rewrite E. reflexivity. Qed.
Lemma hsic_center d A B : hsic_f d (center_f d A) (center_f d B) == hsic d (center d A) (center d B).
Proof. rewrite hsic_f_spec. apply hsic_ext; unfold center_f, center; rewrite ?map_length; auto;
  intros i j _; apply center_f_at. Qed.
Lemma cka_parts_spec d A B : match cka_parts d A B with (ha, hb, c2) =>
  ha == hsic d (center d A) (center d A) /\ hb == hsic d (center d B) (center d B) /\ c2 == cka2 d A B end.
Proof. unfold cka_parts, cka2. cbv zeta. rewrite !hsic_center. split; [|split]; reflexivity. Qed.

Lemma cka_claimb_spec d A B eq lo hi : cka_claimb d A B eq lo hi = true <-> cka_claim d A B eq lo hi.
Proof. unfold cka_claimb, cka_claim. pose proof (cka_parts_spec d A B) as Hp.
  destruct (cka_parts d A B) as [[ha hb] c2]. destruct Hp as [E1 [E2 E3]].
  assert (Hn : forall q, Qeq_bool q 0 = false <-> ~ q == 0).
  { intros q. split; intros H. intros Hq. apply Qeq_bool_iff in Hq. congruence.
    destruct (Qeq_bool q 0) eqn:E; auto. apply Qeq_bool_iff in E. contradiction. }
  destruct eq, lo, hi; cbn [opt optb]; rewrite !andb_true_iff, !negb_true_iff, !Hn, ?Qeq_bool_iff, ?Qle_bool_iff;
  rewrite <- E1, <- E2, <- ?E3; tauto. Qed.
Lemma cka_true d A B eq lo hi : cka_claimb d A B eq lo hi = true -> cka_claim d A B eq lo hi.
Proof. apply cka_claimb_spec. Qed.
Lemma cka_false d A B eq lo hi : cka_claimb d A B eq lo hi = false -> ~ cka_claim d A B eq lo hi.
Proof. intros H Hc. apply cka_claimb_spec in Hc. congruence. Qed.

Lemma functions_differ n D f g x : check_point n D f g x = true -> ~ equal_on n D f g.
Proof. unfold check_point. intros H He. apply andb_true_iff in H as [H H3]. apply andb_true_iff in H as [H1 H2].
  apply Nat.eqb_eq in H1. rewrite forallb_forall in H2.
  assert (Hs : forall c, In c D -> sat c x).
  { intros c Hc. specialize (H2 c Hc). destruct c; simpl in *.
    apply Qle_bool_iff; auto. apply Qeq_bool_iff; auto. }
  specialize (He x H1 Hs). apply vec_eqb_spec in He. rewrite He in H3. discriminate. Qed.

(* --- uniqueness of dimension (Steinitz): more than n vectors of Q^n are dependent --- *)
Definition skip (p k : nat) : nat := if Nat.ltb k p then k else S k.

Lemma sumn_skip m p f : (p <= m)%nat -> sumn (S m) f == sumn m (fun k => f (skip p k)) + f p.
Proof. induction m; intros Hp.
  - assert (p = 0)%nat by lia. subst. cbn [sumn]. rewrite !Qred_correct. ring.
  - destruct (Nat.eq_dec p (S m)).
    + subst. rewrite (sumn_S (S m) f).
      rewrite (sumn_ext (S m) (fun k => f (skip (S m) k)) f). reflexivity.
      intros i Hi. unfold skip. destruct (Nat.ltb_spec i (S m)). reflexivity. lia.
    + rewrite (sumn_S (S m) f), IHm by lia.
      rewrite (sumn_S m (fun k => f (skip p k))).
      unfold skip at 3. destruct (Nat.ltb_spec m p). lia. ring.
Qed.

Lemma dependent n : forall m (V : nat -> nat -> Q), (n < m)%nat ->
  exists a : nat -> Q, (exists k, (k < m)%nat /\ ~ a k == 0) /\
                       forall i, (i < n)%nat -> sumn m (fun k => a k * V k i) == 0.
Proof. induction n; intros m V Hm.
  - exists (fun _ => 1). split. exists 0%nat. split. lia. discriminate. intros; lia.
  - destruct (existsb (fun k => negb (Qeq_bool (V k n) 0)) (seq 0 m)) eqn:E.
    + apply existsb_exists in E as [p [Hp Hv]]. apply in_seq in Hp. apply negb_true_iff in Hv.
      assert (Hpn : ~ V p n == 0) by (intros H; apply Qeq_bool_iff in H; congruence).
      destruct m as [|m]. lia.
      set (c := fun j => V (skip p j) n / V p n).
      set (W := fun j i => V (skip p j) i - c j * V p i).
      destruct (IHn m W ltac:(lia)) as [a' [[k0 [Hk0 Ha0]] Hz]].
      set (a := fun k => if Nat.eqb k p then - sumn m (fun j => a' j * c j)
                         else a' (if Nat.ltb k p then k else (k - 1)%nat)).
      assert (Has : forall j, a (skip p j) = a' j).
      { intros j. unfold a, skip. destruct (Nat.ltb_spec j p).
        - destruct (Nat.eqb_spec j p). lia. destruct (Nat.ltb_spec j p). reflexivity. lia.
        - destruct (Nat.eqb_spec (S j) p). lia. destruct (Nat.ltb_spec (S j) p). lia. f_equal. lia. }
      exists a. split.
      * exists (skip p k0). split. unfold skip. destruct (Nat.ltb_spec k0 p); lia. rewrite Has. auto.
      * intros i Hi. rewrite (sumn_skip m p) by lia.
        rewrite (sumn_ext m _ (fun j => a' j * W j i + a' j * c j * V p i))
          by (intros j _; rewrite Has; unfold W; ring).
        rewrite sumn_plus, sumn_scale_r.
        assert (Hpa : a p == - sumn m (fun j => a' j * c j)) by (unfold a; rewrite Nat.eqb_refl; reflexivity).
        rewrite Hpa.
        assert (sumn m (fun j => a' j * W j i) == 0).
        { destruct (Nat.eq_dec i n).
          - subst. apply sumn_zero. intros j _. unfold W, c. field. exact Hpn.
          - apply Hz. lia. }
        rewrite H. ring.
    + idtac.
      destruct (IHn m V ltac:(lia)) as [a [Hnz Hz]]. exists a. split. auto.
      intros i Hi. destruct (Nat.eq_dec i n).
      * subst. apply sumn_zero. intros k Hk.
        assert (existsb (fun k => negb (Qeq_bool (V k n) 0)) (seq 0 m) = true -> False) by congruence.
        destruct (Qeq_bool (V k n) 0) eqn:Ev.
        -- apply Qeq_bool_iff in Ev. rewrite Ev. ring.
        -- exfalso. apply H. apply existsb_exists. exists k. split. apply in_seq; lia. rewrite Ev. reflexivity.
      * apply Hz. lia.
Qed.

Lemma coefficients_of d S (T : list vec) : (forall t, In t T -> in_span d t S) ->
  exists C : list vec, forall k j, (k < length T)%nat -> (j < d)%nat ->
    at_ (nth k T []) j == comb (nth k C []) S j.
Proof. induction T as [|t T IH]; intros H.
  - exists []. intros k j Hk. simpl in Hk. lia.
  - destruct (H t (or_introl eq_refl)) as [c Hc]. destruct IH as [C HC]. intros; apply H; right; auto.
    exists (c :: C). intros [|k] j Hk Hj; simpl. auto. apply HC; simpl in Hk; lia. Qed.

Lemma at_map_seq (a : nat -> Q) m k : (k < m)%nat -> at_ (map a (seq 0 m)) k = a k.
Proof. intros H. unfold at_. rewrite (nth_indep _ 0 (a 0%nat)) by (rewrite map_length, seq_length; auto).
  rewrite map_nth, seq_nth; auto. Qed.

(* An independent family inside the span of n vectors has at most n members. *)
Lemma independent_in_span d (S T : list vec) :
  (forall t, In t T -> in_span d t S) -> independent d T -> (length T <= length S)%nat.
Proof. intros Hs Hi. destruct (Nat.le_gt_cases (length T) (length S)) as [|Hgt]; auto. exfalso.
  destruct (coefficients_of d S T Hs) as [C HC].
  destruct (dependent (length S) (length T) (fun k i => at_ (nth k C []) i) Hgt) as [a [[k0 [Hk0 Ha0]] Hz]].
  apply Ha0. rewrite <- (at_map_seq a (length T) k0 Hk0). apply Hi; auto.
  intros j Hj. unfold comb.
  rewrite (sumn_ext (length T) _ (fun k => sumn (length S) (fun i => a k * at_ (nth k C []) i * at_ (nth i S []) j))).
  - rewrite sumn_swap. apply sumn_zero. intros i Hi'. rewrite sumn_scale_r, Hz by auto. ring.
  - intros k Hk. rewrite at_map_seq, HC by auto. unfold comb. rewrite <- sumn_scale.
    apply sumn_ext. intros; ring. Qed.

Lemma dim_unique d A r r' : dim_span d A r -> dim_span d A r' -> r = r'.
Proof.
  assert (Hle : forall r r', dim_span d A r -> dim_span d A r' -> (r' <= r)%nat).
  { intros r1 r2 [I [HI [Hr [Hind Hsp]]]] [I' [HI' [Hr' [Hind' Hsp']]]].
    subst. rewrite <- (map_length (row A) I), <- (map_length (row A) I').
    apply (independent_in_span d (rows A I) (rows A I')); auto. intros t Ht. unfold rows in Ht.
    apply in_map_iff in Ht as [i [Hi Hin]]. subst. apply Hsp. apply Hr' in Hin. apply in_seq in Hin. lia. }
  intros H1 H2. apply Nat.le_antisymm; eauto. Qed.

Lemma dim_false d A r I P K cs r' :
  check_dim d A r I P K cs && negb (Nat.eqb r r') = true -> ~ dim_span d A r'.
Proof. intros H Hd. apply andb_true_iff in H as [H1 H2]. apply negb_true_iff, Nat.eqb_neq in H2.
  apply H2. apply (dim_unique d A); auto. apply (check_dim_sound _ _ _ _ _ _ _ H1). Qed.
Lemma iso_false d A B ra rb IA PA KA csA IB PB KB csB :
  check_dim d A ra IA PA KA csA && check_dim d B rb IB PB KB csB && negb (Nat.eqb ra rb) = true ->
  ~ isomorphic d A B.
Proof. intros H [r [HA HB]]. apply andb_true_iff in H as [H H3]. apply andb_true_iff in H as [H1 H2].
  apply negb_true_iff, Nat.eqb_neq in H3. apply H3.
  rewrite (dim_unique d A ra r), (dim_unique d B rb r); auto.
  apply (check_dim_sound _ _ _ _ _ _ _ H2). apply (check_dim_sound _ _ _ _ _ _ _ H1). Qed.

(* --- the ladder --- *)
Definition perm_ok (n : nat) (p : list nat) : bool :=
  Nat.eqb (length p) n && forallb (fun k => memb k p) (seq 0 n).
Lemma perm_ok_sound n p : perm_ok n p = true -> Permutation p (seq 0 n).
Proof. unfold perm_ok. intros H. apply andb_true_iff in H as [H1 H2]. apply Nat.eqb_eq in H1.
  apply Permutation_sym, NoDup_Permutation_bis. apply seq_NoDup. rewrite seq_length; lia.
  intros k Hk. rewrite forallb_forall in H2. apply memb_In, H2; auto. Qed.
Definition check_permutation (d : nat) (A B : mat) (p : list nat) (s : vec) (scaled : bool) : bool :=
  Nat.eqb (length A) (length B) && perm_ok (length A) p &&
  forallb (fun i => (if scaled then Qltb 0 (at_ s i) else true) &&
    forallb (fun j => Qeq_bool (at_ (row A i) j) ((if scaled then at_ s i else 1) * at_ (row B (nth i p 0%nat)) j))
            (seq 0 d)) (seq 0 (length A)).
Lemma permutation_true d A B p : check_permutation d A B p [] false = true -> permutation_equiv d A B.
Proof. unfold check_permutation. intros H. apply andb_true_iff in H as [H H3]. apply andb_true_iff in H as [H1 H2].
  split. apply Nat.eqb_eq; auto. exists p. split. apply perm_ok_sound; auto.
  intros i Hi j Hj. rewrite forallb_forall in H3. specialize (H3 i ltac:(apply in_seq; lia)).
  simpl in H3. rewrite forallb_forall in H3. specialize (H3 j ltac:(apply in_seq; lia)).
  apply Qeq_bool_iff in H3. rewrite H3. ring. Qed.
Lemma scaled_permutation_true d A B p s :
  check_permutation d A B p s true = true -> scaled_permutation_equiv d A B.
Proof. unfold check_permutation. intros H. apply andb_true_iff in H as [H H3]. apply andb_true_iff in H as [H1 H2].
  split. apply Nat.eqb_eq; auto. exists p, s. split. apply perm_ok_sound; auto.
  intros i Hi. rewrite forallb_forall in H3. specialize (H3 i ltac:(apply in_seq; lia)).
  apply andb_true_iff in H3 as [Hs H3]. split.
  - unfold Qltb in Hs. apply negb_true_iff in Hs. apply Qnot_le_lt. intros Hle. apply Qle_bool_iff in Hle. congruence.
  - intros j Hj. rewrite forallb_forall in H3. specialize (H3 j ltac:(apply in_seq; lia)).
    apply Qeq_bool_iff in H3. auto. Qed.

Definition is_inverseb (n : nat) (M N : mat) : bool :=
  forallb (fun i => forallb (fun k => Qeq_bool (sumn n (fun j => at_ (row M i) j * at_ (row N j) k))
                                             (if Nat.eqb i k then 1 else 0)) (seq 0 n)) (seq 0 n).
Lemma is_inverseb_sound n M N : is_inverseb n M N = true -> is_inverse n M N.
Proof. unfold is_inverseb. intros H i k Hi Hk. rewrite forallb_forall in H.
  specialize (H i ltac:(apply in_seq; lia)). rewrite forallb_forall in H.
  apply Qeq_bool_iff, H, in_seq. lia. Qed.
Definition check_linear (d : nat) (A B M N : mat) : bool :=
  Nat.eqb (length A) (length B) && is_inverseb (length A) M N && is_inverseb (length A) N M &&
  forallb (fun i => check_span d (row A i) B (row M i)) (seq 0 (length A)).
Lemma linear_true d A B M N : check_linear d A B M N = true -> linear_equiv d A B.
Proof. unfold check_linear. intros H. repeat (apply andb_true_iff in H as [H ?]).
  split. apply Nat.eqb_eq; auto. exists M, N.
  split. apply is_inverseb_sound; auto. split. apply is_inverseb_sound; auto.
  intros i Hi j Hj.
  match goal with H : forallb (fun i => check_span _ _ _ _) _ = true |- _ => rename H into Hc end.
  rewrite forallb_forall in Hc. specialize (Hc i ltac:(apply in_seq; lia)).
  apply (check_span_at _ _ _ _ Hc j Hj). Qed.

Lemma rows_all (B : mat) : rows B (seq 0 (length B)) = B.
Proof. apply (nth_ext _ _ [] []). unfold rows. rewrite map_length, seq_length. reflexivity.
  intros n Hn. unfold rows in Hn. rewrite map_length, seq_length in Hn. rewrite nth_rows by (rewrite seq_length; auto).
  rewrite seq_nth by auto. reflexivity. Qed.

Lemma linear_match d A B : linear_equiv d A B -> is_match d A B (seq 0 (length A)) (seq 0 (length B)).
Proof. intros [Hn [M [N [HMN [HNM HA]]]]]. unfold is_match, is_pmatch. rewrite !rows_all. split.
  - intros x Hx. apply in_seq in Hx. exists (row M x). apply HA. lia.
  - intros v Hv. apply in_seq in Hv. exists (row N v). intros j Hj. unfold comb.
    rewrite (sumn_ext (length A) _ (fun i => sumn (length A) (fun k => at_ (row N v) i * at_ (row M i) k * at_ (nth k B []) j))).
    + rewrite sumn_swap.
      rewrite (sumn_ext (length A) _ (fun k => at_ (nth k B []) j * (if Nat.eqb k v then 1 else 0))).
      * rewrite sumn_delta by lia. reflexivity.
      * intros k Hk. rewrite sumn_scale_r. unfold is_inverse in HNM. rewrite HNM by lia.
        rewrite Nat.eqb_sym. ring.
    + intros i Hi. rewrite (HA i Hi j Hj). unfold comb. rewrite <- Hn, <- sumn_scale.
      apply sumn_ext. intros; ring. Qed.
Lemma linear_false d A B r : check_failure d 0 A B (seq 0 (length A)) (seq 0 (length B)) r = true -> ~ linear_equiv d A B.
Proof. intros H Hl. apply (match_false d A B _ _ r H), linear_match; auto. Qed.
Lemma linear_widths d A B : Nat.eqb (length A) (length B) = false -> ~ linear_equiv d A B.
Proof. intros H [Hn _]. apply Nat.eqb_neq in H. auto. Qed.
Lemma permutation_widths d A B : Nat.eqb (length A) (length B) = false -> ~ permutation_equiv d A B.
Proof. intros H [Hn _]. apply Nat.eqb_neq in H. auto. Qed.
Lemma scaled_permutation_widths d A B : Nat.eqb (length A) (length B) = false -> ~ scaled_permutation_equiv d A B.
Proof. intros H [Hn _]. apply Nat.eqb_neq in H. auto. Qed.

Definition orthonormalb (n : nat) (Q : mat) : bool :=
  forallb (fun i => forallb (fun k =>
    Qeq_bool (sumn n (fun j => at_ (row Q i) j * at_ (row Q k) j)) (if Nat.eqb i k then 1 else 0) &&
    Qeq_bool (sumn n (fun j => at_ (row Q j) i * at_ (row Q j) k)) (if Nat.eqb i k then 1 else 0)) (seq 0 n)) (seq 0 n).
Definition check_orthogonal (d : nat) (A B Q : mat) : bool :=
  Nat.eqb (length A) (length B) && orthonormalb (length A) Q &&
  forallb (fun i => check_span d (row A i) B (row Q i)) (seq 0 (length A)).
Lemma orthogonal_true d A B Q : check_orthogonal d A B Q = true -> orthogonal_equiv d A B.
Proof. unfold check_orthogonal. intros H. apply andb_true_iff in H as [H Hc]. apply andb_true_iff in H as [H1 H2].
  split. apply Nat.eqb_eq; auto. exists Q. split.
  - intros i k Hi Hk. unfold orthonormalb in H2. rewrite forallb_forall in H2.
    specialize (H2 i ltac:(apply in_seq; lia)). rewrite forallb_forall in H2.
    specialize (H2 k ltac:(apply in_seq; lia)). apply andb_true_iff in H2 as [E1 E2].
    split; apply Qeq_bool_iff; auto.
  - intros i Hi j Hj. rewrite forallb_forall in Hc. specialize (Hc i ltac:(apply in_seq; lia)).
    apply (check_span_at _ _ _ _ Hc j Hj). Qed.

(* |A w|^2 = sum_i (z_i . w)^2 *)
Definition norm_image (d : nat) (A : mat) (w : vec) : Q :=
  sumn (length A) (fun i => dotv d (row A i) w * dotv d (row A i) w).
Lemma sumn_square n f : sumn n f * sumn n f == sumn n (fun k => sumn n (fun l => f k * f l)).
Proof. rewrite <- sumn_scale_r. apply sumn_ext. intros k _. rewrite <- sumn_scale. reflexivity. Qed.
Lemma orthogonal_norms d A B w : orthogonal_equiv d A B -> norm_image d A w == norm_image d B w.
Proof. intros [Hn [Q [HQ HA]]]. unfold norm_image. set (n := length A). set (b := fun k => dotv d (row B k) w).
  assert (Hi : forall i, (i < n)%nat -> dotv d (row A i) w == sumn n (fun k => at_ (row Q i) k * b k)).
  { intros i Hi. unfold b; unfold dotv; cbv beta. rewrite (sumn_ext d _ (fun j => sumn n (fun k => at_ (row Q i) k * at_ (row B k) j * at_ w j))).
    - rewrite sumn_swap. apply sumn_ext. intros k _. rewrite <- sumn_scale. apply sumn_ext. intros; ring.
    - intros j Hj. rewrite (HA i Hi j Hj). unfold comb. rewrite <- Hn, sumn_scale_r. reflexivity. }
  rewrite (sumn_ext n _ (fun i => sumn n (fun k => sumn n (fun l => at_ (row Q i) k * b k * (at_ (row Q i) l * b l)))))
    by (intros i Hi'; rewrite (Hi i Hi'); apply sumn_square).
  rewrite sumn_swap.
  rewrite <- Hn. fold n.
  apply sumn_ext. intros k Hk.
  rewrite sumn_swap.
  rewrite (sumn_ext n _ (fun l => b k * b l * (if Nat.eqb l k then 1 else 0))).
  - etransitivity. apply (sumn_delta n (fun l => b k * b l) k Hk). unfold b. reflexivity.
  - intros l Hl. destruct (HQ k l Hk Hl) as [_ H2]. fold n in H2.
    rewrite (sumn_ext n _ (fun i => (at_ (row Q i) k * at_ (row Q i) l) * (b k * b l))) by (intros; ring).
    rewrite sumn_scale_r, H2, Nat.eqb_sym. ring.
Qed.
Lemma orthogonal_false d A B w : negb (Qeq_bool (norm_image d A w) (norm_image d B w)) = true -> ~ orthogonal_equiv d A B.
Proof. intros H Ho. apply negb_true_iff in H. pose proof (orthogonal_norms d A B w Ho) as E.
  apply Qeq_bool_iff in E. congruence. Qed.
Lemma orthogonal_widths d A B : Nat.eqb (length A) (length B) = false -> ~ orthogonal_equiv d A B.
Proof. intros H [Hn _]. apply Nat.eqb_neq in H. auto. Qed.

(* --- simple matches --- *)
Definition inclb (X Y : list nat) : bool := forallb (fun x => memb x Y) X.
Lemma inclb_spec X Y : inclb X Y = true <-> incl X Y.
Proof. unfold inclb. rewrite forallb_forall. split; intros H x Hx. apply memb_In; auto. apply memb_In, H; auto. Qed.
Definition in_pairb (m : member) (X Y : list nat) : bool := match m with MX i => memb i X | MY j => memb j Y end.
Lemma in_pairb_spec m X Y : in_pairb m X Y = true <-> in_pair m X Y.
Proof. destruct m; apply memb_In. Qed.
Definition member_eqb (m m' : member) : bool :=
  match m, m' with MX i, MX j => Nat.eqb i j | MY i, MY j => Nat.eqb i j | _, _ => false end.
Lemma member_eqb_eq m m' : member_eqb m m' = true -> m = m'.
Proof. destruct m, m'; simpl; intros H; try discriminate; apply Nat.eqb_eq in H; subst; auto. Qed.
Definition members (X Y : list nat) : list member := map MX X ++ map MY Y.
Lemma members_spec m X Y : In m (members X Y) <-> in_pair m X Y.
Proof. unfold members. rewrite in_app_iff, !in_map_iff. destruct m; simpl; split; intros H.
  - destruct H as [[i' [E H]]|[j' [E H]]]; [injection E; intros; subst; auto | discriminate].
  - left. eauto.
  - destruct H as [[i' [E H]]|[j' [E H]]]; [discriminate | injection E; intros; subst; auto].
  - right. eauto. Qed.
Definition drop_member (m : member) (X Y : list nat) : list nat * list nat :=
  match m with MX i => (drop i X, Y) | MY j => (X, drop j Y) end.
Definition exclusion_ok (d : nat) (e2 : Q) (A B : mat) (X Y : list nat) (v u : member) (tr : list removal) : bool :=
  match replay d e2 A B (fst (drop_member u X Y)) (snd (drop_member u X Y)) tr with
  | Some (X1, Y1) => negb (in_pairb v X1 Y1) | None => false end.
Definition check_simple_true (d : nat) (e2 : Q) (A B : mat) (X Y : list nat) (cx cy : list vec) (v : member)
           (ex : list (member * list removal)) : bool :=
  negb (Nat.eqb (length X + length Y) 0) && check_pmatch (check_within d e2) A B X Y cx cy && in_pairb v X Y &&
  forallb (fun u => member_eqb u v ||
    existsb (fun e => member_eqb (fst e) u && exclusion_ok d e2 A B X Y v (fst e) (snd e)) ex) (members X Y).

Lemma forallb_false_exists {T} (f : T -> bool) l : forallb f l = false -> exists x, In x l /\ f x = false.
Proof. induction l; simpl; intros H. discriminate. destruct (f a) eqn:E.
  destruct (IHl H) as [x [Hx Hf]]. eauto. exists a; auto. Qed.
Lemma not_inside_member X Y X' Y' : ~ (incl X X' /\ incl Y Y') -> exists u, in_pair u X Y /\ ~ in_pair u X' Y'.
Proof. intros H. destruct (inclb X X') eqn:E1; destruct (inclb Y Y') eqn:E2.
  - exfalso. apply H. split; apply inclb_spec; auto.
  - apply forallb_false_exists in E2 as [y [Hy Hf]]. exists (MY y). simpl. split; auto.
    intros Hin. apply memb_In in Hin. congruence.
  - apply forallb_false_exists in E1 as [x [Hx Hf]]. exists (MX x). simpl. split; auto.
    intros Hin. apply memb_In in Hin. congruence.
  - apply forallb_false_exists in E1 as [x [Hx Hf]]. exists (MX x). simpl. split; auto.
    intros Hin. apply memb_In in Hin. congruence. Qed.

Lemma simple_true d e2 A B X Y cx cy v ex :
  check_simple_true d e2 A B X Y cx cy v ex = true -> simple_match d e2 A B X Y.
Proof. unfold check_simple_true. intros H. apply andb_true_iff in H as [H Hall].
  apply andb_true_iff in H as [H Hv]. apply andb_true_iff in H as [Hne Hm].
  apply in_pairb_spec in Hv. split; [|split].
  - apply negb_true_iff, Nat.eqb_neq in Hne. destruct X as [|x X].
    + destruct Y as [|y Y]. simpl in Hne. lia. right. discriminate.
    + left. discriminate.
  - apply (ematch_true _ _ _ _ _ _ _ _ Hm).
  - intros Hcov. destruct (Hcov v Hv) as [X' [Y' [[Hx [Hy Hs]] [Hm' Hv']]]].
    destruct (not_inside_member _ _ _ _ Hs) as [u [Hu Hu']].
    rewrite forallb_forall in Hall. specialize (Hall u (proj2 (members_spec u X Y) Hu)).
    apply orb_true_iff in Hall as [Heq | Hex].
    + apply member_eqb_eq in Heq. subst. contradiction.
    + apply existsb_exists in Hex as [[u' tr] [_ He]]. simpl in He. apply andb_true_iff in He as [Hu'' He].
      apply member_eqb_eq in Hu''. subst u'. unfold exclusion_ok in He.
      destruct (replay _ _ _ _ _ _ tr) as [[X1 Y1]|] eqn:Hr; try discriminate.
      apply negb_true_iff in He.
      destruct (replay_sound d e2 _ A B (within_blocks d e2) _ _ _ _ _ Hr) as [_ [_ H3]].
      assert (Hsub : incl X' (fst (drop_member u X Y)) /\ incl Y' (snd (drop_member u X Y))).
      { destruct u; simpl in *; split; auto; intros t Ht; apply In_drop; split; auto; intros ->; auto. }
      destruct (H3 X' Y' (proj1 Hsub) (proj2 Hsub) Hm') as [I1 I2].
      assert (in_pair v X1 Y1) by (destruct v; simpl in *; auto).
      apply in_pairb_spec in H. congruence.
Qed.

(* refuted: the empty pair, not a match, or matches strictly inside covering it *)
Definition check_parts (d : nat) (e2 : Q) (A B : mat) (X Y : list nat)
           (parts : list (list nat * list nat * list vec * list vec)) : bool :=
  forallb (fun p => match p with (X', Y', cx, cy) =>
    inclb X' X && inclb Y' Y && negb (inclb X X' && inclb Y Y') && check_pmatch (check_within d e2) A B X' Y' cx cy end) parts &&
  forallb (fun u => existsb (fun p => match p with (X', Y', _, _) => in_pairb u X' Y' end) parts) (members X Y).
Lemma simple_parts d e2 A B X Y parts : check_parts d e2 A B X Y parts = true -> ~ simple_match d e2 A B X Y.
Proof. unfold check_parts. intros H [_ [_ Hn]]. apply andb_true_iff in H as [H1 H2]. apply Hn. intros m Hm.
  rewrite forallb_forall in H1, H2. specialize (H2 m (proj2 (members_spec m X Y) Hm)).
  apply existsb_exists in H2 as [[[[X' Y'] cx] cy] [Hp Hin]]. specialize (H1 _ Hp). simpl in H1.
  repeat (apply andb_true_iff in H1 as [H1 ?]). exists X', Y'. split; [|split].
  - split. apply inclb_spec; auto. split. apply inclb_spec; auto.
    intros [Ha Hb]. apply inclb_spec in Ha, Hb.
    match goal with H : negb _ = true |- _ => rewrite Ha, Hb in H; discriminate end.
  - eapply ematch_true; eauto.
  - apply in_pairb_spec; auto. Qed.
Lemma simple_not_match d e2 A B X Y r : check_failure d e2 A B X Y r = true -> ~ simple_match d e2 A B X Y.
Proof. intros H [_ [Hm _]]. apply (ematch_false d e2 A B X Y r H Hm). Qed.
Lemma simple_empty d e2 A B : ~ simple_match d e2 A B [] [].
Proof. intros [[H|H] _]; auto. Qed.

(* --- permutation refuted: a row with more copies in A than in B --- *)
Definition row_eqb (d : nat) (u v : vec) : bool := forallb (fun j => Qeq_bool (at_ u j) (at_ v j)) (seq 0 d).
Definition copies (d : nat) (A : mat) (r : vec) : nat := length (filter (fun i => row_eqb d (row A i) r) (seq 0 (length A))).
Lemma filter_length_perm {T} (f : T -> bool) l l' : Permutation l l' -> length (filter f l) = length (filter f l').
Proof. induction 1; simpl; auto. destruct (f x); simpl; auto.
  destruct (f x), (f y); simpl; auto. congruence. Qed.
Lemma row_eqb_compat d u v r : (forall j, (j < d)%nat -> at_ u j == at_ v j) -> row_eqb d u r = row_eqb d v r.
Proof. intros H. unfold row_eqb.
  destruct (forallb (fun j => Qeq_bool (at_ u j) (at_ r j)) (seq 0 d)) eqn:E1;
  destruct (forallb (fun j => Qeq_bool (at_ v j) (at_ r j)) (seq 0 d)) eqn:E2; auto; exfalso.
  - apply forallb_false_exists in E2 as [j [Hj Hf]]. rewrite forallb_forall in E1. specialize (E1 j Hj).
    apply in_seq in Hj. apply Qeq_bool_iff in E1. rewrite H in E1 by lia. apply Qeq_bool_iff in E1. congruence.
  - apply forallb_false_exists in E1 as [j [Hj Hf]]. rewrite forallb_forall in E2. specialize (E2 j Hj).
    apply in_seq in Hj. apply Qeq_bool_iff in E2. rewrite <- H in E2 by lia. apply Qeq_bool_iff in E2. congruence.
Qed.
Lemma filter_map_length {T U} (f : U -> bool) (g : T -> U) l :
  length (filter f (map g l)) = length (filter (fun x => f (g x)) l).
Proof. induction l; simpl; auto. destruct (f (g a)); simpl; auto. Qed.
Lemma map_nth_all (l : list nat) : map (fun i => nth i l 0%nat) (seq 0 (length l)) = l.
Proof. apply (nth_ext _ _ 0%nat 0%nat). rewrite map_length, seq_length; auto.
  intros n Hn. rewrite map_length, seq_length in Hn.
  rewrite (nth_indep _ 0%nat (nth 0 l 0%nat)) by (rewrite map_length, seq_length; auto).
  change (nth 0 l 0%nat) with ((fun i => nth i l 0%nat) 0%nat) at 1.
  rewrite map_nth, seq_nth by auto. reflexivity. Qed.
Lemma permutation_copies d A B : permutation_equiv d A B -> forall r, copies d A r = copies d B r.
Proof. intros [Hn [p [Hp HA]]] r. unfold copies.
  assert (Hl : length p = length A) by (rewrite (Permutation_length Hp), seq_length; auto).
  rewrite (filter_ext_in _ (fun i => row_eqb d (row B (nth i p 0%nat)) r)).
  - rewrite <- Hl, <- (filter_map_length (fun k => row_eqb d (row B k) r) (fun i => nth i p 0%nat)).
    rewrite map_nth_all, (filter_length_perm _ _ _ Hp), Hn. reflexivity.
  - intros i Hi. apply in_seq in Hi. apply row_eqb_compat. intros j Hj. apply HA; lia. Qed.
Lemma permutation_false d A B i : Nat.ltb (copies d B (row A i)) (copies d A (row A i)) = true -> ~ permutation_equiv d A B.
Proof. intros H Hp. rewrite (permutation_copies d A B Hp) in H. apply Nat.ltb_lt in H. lia. Qed.

(* --- scaled permutation refuted: a ray with more rows of A than of B --- *)
Lemma perm_count (f : vec -> bool) A B p : length A = length B -> Permutation p (seq 0 (length A)) ->
  (forall t, (t < length A)%nat -> f (row A t) = f (row B (nth t p 0%nat))) ->
  length (filter (fun i => f (row A i)) (seq 0 (length A))) = length (filter (fun k => f (row B k)) (seq 0 (length B))).
Proof. intros Hn Hp Hf.
  assert (Hl : length p = length A) by (rewrite (Permutation_length Hp), seq_length; auto).
  rewrite (filter_ext_in _ (fun i => f (row B (nth i p 0%nat)))).
  - rewrite <- Hl, <- (filter_map_length (fun k => f (row B k)) (fun i => nth i p 0%nat)).
    rewrite map_nth_all, (filter_length_perm _ _ _ Hp), Hn. reflexivity.
  - intros i Hi. apply in_seq in Hi. apply Hf. lia. Qed.

(* u = c r for some c > 0 *)
Definition posmul (d : nat) (u r : vec) : Prop := exists c, 0 < c /\ forall j, (j < d)%nat -> at_ u j == c * at_ r j.
Definition zerob (d : nat) (u : vec) : bool := forallb (fun j => Qeq_bool (at_ u j) 0) (seq 0 d).
(* with r_q <> 0: the only candidate is c = u_q / r_q *)
Definition posmulb (d q : nat) (u r : vec) : bool :=
  if zerob d r then zerob d u else
  Qltb 0 (at_ u q / at_ r q) && forallb (fun j => Qeq_bool (at_ u j) (at_ u q / at_ r q * at_ r j)) (seq 0 d).
Definition ray_ok (d q : nat) (r : vec) : bool := zerob d r || (Nat.ltb q d && negb (Qeq_bool (at_ r q) 0)).

Lemma zerob_spec d u : zerob d u = true <-> forall j, (j < d)%nat -> at_ u j == 0.
Proof. unfold zerob. rewrite forallb_forall. split; intros H j Hj.
  apply Qeq_bool_iff, H, in_seq; lia. apply in_seq in Hj. apply Qeq_bool_iff, H. lia. Qed.

Lemma posmulb_spec d q u r : ray_ok d q r = true -> (posmulb d q u r = true <-> posmul d u r).
Proof. unfold ray_ok, posmulb. intros Hr. destruct (zerob d r) eqn:Ez.
  - pose proof (proj1 (zerob_spec d r) Ez) as Z. rewrite (zerob_spec d u). split.
    + intros H. exists 1. split. reflexivity. intros j Hj. rewrite (H j Hj), (Z j Hj). ring.
    + intros [c [_ H]] j Hj. rewrite (H j Hj), (Z j Hj). ring.
  - simpl in Hr. apply andb_true_iff in Hr as [Hq Hrq]. apply Nat.ltb_lt in Hq.
    apply negb_true_iff in Hrq. assert (Hrq' : ~ at_ r q == 0) by (intros E; apply Qeq_bool_iff in E; congruence).
    rewrite andb_true_iff, forallb_forall. split.
    + intros [H1 H2]. exists (at_ u q / at_ r q). split.
      * unfold Qltb in H1. apply negb_true_iff in H1. apply Qnot_le_lt. intros E. apply Qle_bool_iff in E. congruence.
      * intros j Hj. apply Qeq_bool_iff, H2, in_seq. lia.
    + intros [c [Hc H]]. assert (Ec : at_ u q / at_ r q == c) by (rewrite H by auto; field; auto).
      split.
      * unfold Qltb. apply negb_true_iff. destruct (Qle_bool (at_ u q / at_ r q) 0) eqn:E; auto.
        apply Qle_bool_iff in E. rewrite Ec in E. exfalso. apply (Qlt_not_le _ _ Hc E).
      * intros j Hj. apply in_seq in Hj. apply Qeq_bool_iff. rewrite Ec. apply H. lia.
Qed.

Lemma posmul_scale d u v r s : 0 < s -> (forall j, (j < d)%nat -> at_ u j == s * at_ v j) ->
  (posmul d u r <-> posmul d v r).
Proof. intros Hs Huv. split.
  - intros [c [Hc H]]. exists (c / s). split.
    + apply Qlt_shift_div_l; auto. setoid_replace (0 * s) with 0 by ring. auto.
    + intros j Hj. assert (Hs' : ~ s == 0) by (intros E; rewrite E in Hs; apply (Qlt_irrefl 0); auto).
      setoid_replace (at_ v j) with (at_ u j / s) by (rewrite Huv by auto; field; auto).
      rewrite H by auto. field. auto.
  - intros [c [Hc H]]. exists (s * c). split. apply Qmult_lt_0_compat; auto.
    intros j Hj. rewrite Huv, H by auto. ring.
Qed.

Definition ray_count (d q : nat) (A : mat) (r : vec) : nat :=
  length (filter (fun i => posmulb d q (row A i) r) (seq 0 (length A))).
Lemma scaled_permutation_false d A B q r :
  ray_ok d q r && Nat.ltb (ray_count d q B r) (ray_count d q A r) = true -> ~ scaled_permutation_equiv d A B.
Proof. intros H [Hn [p [s [Hp HA]]]]. apply andb_true_iff in H as [Hr Hlt]. apply Nat.ltb_lt in Hlt.
  unfold ray_count in Hlt. rewrite (perm_count (fun u => posmulb d q u r) A B p Hn Hp) in Hlt. lia.
  intros t Ht. destruct (HA t Ht) as [Hs Hj].
  destruct (posmulb d q (row A t) r) eqn:E1; destruct (posmulb d q (row B (nth t p 0%nat)) r) eqn:E2; auto.
  - apply (posmulb_spec d q _ r Hr) in E1. apply (posmul_scale d _ _ r _ Hs Hj) in E1.
    apply (posmulb_spec d q _ r Hr) in E1. congruence.
  - apply (posmulb_spec d q _ r Hr) in E2. apply (posmul_scale d _ _ r _ Hs Hj) in E2.
    apply (posmulb_spec d q _ r Hr) in E2. congruence.
Qed.

(* --- equal_functions, verdict true: a covering tree (design note of symrep/relu/functions.py) --- *)

(* affine functions of the input: ev r x = aw r . x + ac r; vectors are padded with zeros *)
Record aff := mk_aff { aw : vec; ac : Q }.
Definition ev (r : aff) (x : vec) : Q := dotl (aw r) x + ac r.
Definition aff0 : aff := mk_aff [] 0.
Definition aff_add (r s : aff) : aff := mk_aff (vadd (aw r) (aw s)) (Qred (ac r + ac s)).
Definition aff_scale (c : Q) (r : aff) : aff := mk_aff (vscale c (aw r)) (Qred (c * ac r)).
Definition aff_bias (r : aff) (b : Q) : aff := mk_aff (aw r) (Qred (ac r + b)).
Fixpoint lin (w : vec) (I : list aff) : aff :=
  match w, I with a :: w', r :: I' => aff_add (aff_scale a r) (lin w' I') | _, _ => aff0 end.
(* the pre-activations of layer L as affine functions, from affine functions I of its inputs *)
Definition pre (L : layer) (I : list aff) : list aff :=
  map (fun p => aff_bias (lin (fst p) I) (snd p)) (combine (weights L) (bias L)).

Lemma dotl_nil x : dotl [] x == 0.
Proof. destruct x; reflexivity. Qed.
Lemma dotl_cons a u b x : dotl (a :: u) (b :: x) == a * b + dotl u x.
Proof. unfold dotl. cbn [combine map fold_right fst snd]. apply Qred_correct. Qed.
Lemma dotl_nil_r u : dotl u [] == 0.
Proof. destruct u; reflexivity. Qed.
Lemma dotl_vadd u v x : dotl (vadd u v) x == dotl u x + dotl v x.
Proof. revert v x. induction u as [|a u IH]; intros v x.
  - simpl. rewrite dotl_nil. ring.
  - destruct v as [|b v].
    + simpl. rewrite dotl_nil. ring.
    + destruct x as [|c x]. rewrite !dotl_nil_r. ring.
      cbn [vadd]. rewrite !dotl_cons, IH, Qred_correct. ring. Qed.
Lemma dotl_vscale c u x : dotl (vscale c u) x == c * dotl u x.
Proof. revert x. induction u as [|a u IH]; intros x. unfold vscale. simpl. rewrite dotl_nil. ring.
  destruct x as [|b x]. unfold vscale. simpl. rewrite !dotl_nil_r. ring.
  unfold vscale in *. cbn [map]. rewrite !dotl_cons, IH, Qred_correct. ring. Qed.
Lemma dotl_compat w h h' : Forall2 Qeq h h' -> dotl w h == dotl w h'.
Proof. intros H. revert w. induction H as [|a b h h' Hab H IH]; intros w. rewrite !dotl_nil_r. reflexivity.
  destruct w as [|c w]. rewrite !dotl_nil. reflexivity. rewrite !dotl_cons, Hab, IH. reflexivity. Qed.
Lemma ev_add r s x : ev (aff_add r s) x == ev r x + ev s x.
Proof. unfold ev, aff_add. cbn [aw ac]. rewrite dotl_vadd, Qred_correct. ring. Qed.
Lemma ev_scale c r x : ev (aff_scale c r) x == c * ev r x.
Proof. unfold ev, aff_scale. cbn [aw ac]. rewrite dotl_vscale, Qred_correct. ring. Qed.
Lemma ev_bias r b x : ev (aff_bias r b) x == ev r x + b.
Proof. unfold ev, aff_bias. cbn [aw ac]. rewrite Qred_correct. ring. Qed.
Lemma ev0 x : ev aff0 x == 0.
Proof. unfold ev, aff0. cbn [aw ac]. rewrite dotl_nil. ring. Qed.
Lemma ev_lin w I x : ev (lin w I) x == dotl w (map (fun r => ev r x) I).
Proof. revert I. induction w as [|a w IH]; intros I. simpl. rewrite ev0, dotl_nil. reflexivity.
  destruct I as [|r I]. simpl. rewrite ev0, dotl_nil_r. reflexivity.
  cbn [lin map]. rewrite ev_add, ev_scale, IH, dotl_cons. reflexivity. Qed.

(* --- lists of rationals equal entry by entry --- *)
Lemma Forall2_Qeq_refl l : Forall2 Qeq l l.
Proof. induction l; constructor; auto. reflexivity. Qed.
Lemma Forall2_Qeq_sym l l' : Forall2 Qeq l l' -> Forall2 Qeq l' l.
Proof. induction 1; constructor; auto. symmetry; auto. Qed.
Lemma Forall2_Qeq_trans l l' l'' : Forall2 Qeq l l' -> Forall2 Qeq l' l'' -> Forall2 Qeq l l''.
Proof. intros H. revert l''. induction H; intros l'' H'; inversion H'; subst; constructor; auto.
  transitivity y; auto. Qed.
Lemma Forall2_map_Qeq {T} (F G : T -> Q) c : (forall p, In p c -> F p == G p) -> Forall2 Qeq (map F c) (map G c).
Proof. induction c; simpl; intros H; constructor; auto. Qed.

Lemma relu_compat a b : a == b -> relu a == relu b.
Proof. intros H. unfold relu. destruct (Qle_bool a 0) eqn:E1, (Qle_bool b 0) eqn:E2; auto; try reflexivity;
  apply Qle_bool_iff in E1 || apply Qle_bool_iff in E2; exfalso;
  [ assert (b <= 0) by (rewrite <- H; auto) | assert (a <= 0) by (rewrite H; auto) ];
  apply Qle_bool_iff in H0; congruence. Qed.
Lemma layer_out_compat L h h' : Forall2 Qeq h h' -> Forall2 Qeq (layer_out L h) (layer_out L h').
Proof. intros H. unfold layer_out. induction (combine (weights L) (bias L)) as [|p c IH]; cbn [map]; constructor; auto.
  destruct (act L); cbv zeta; [apply relu_compat|]; rewrite !Qred_correct, (dotl_compat _ _ _ H); reflexivity. Qed.
Lemma output_cons L net x : output (L :: net) x = output net (layer_out L x).
Proof. reflexivity. Qed.
Lemma output_compat net h h' : Forall2 Qeq h h' -> Forall2 Qeq (output net h) (output net h').
Proof. revert h h'. induction net as [|L net IH]; intros h h' H. exact H.
  rewrite !output_cons. apply IH, layer_out_compat, H. Qed.

(* --- the state of one network along a path: the layers left, affine functions of the current
   values, and the signs decided in the next (relu) layer --- *)
Inductive sgn := Pos | Neg | Zer.
Record nstate := mk_ns { rest : network; ins : list aff; sgs : list (option sgn) }.
Definition sgn_holds (s : sgn) (q : Q) : Prop := match s with Pos => 0 < q | Neg => q < 0 | Zer => q == 0 end.
Fixpoint settle (rs : network) (I : list aff) : nstate :=
  match rs with
  | [] => mk_ns [] I []
  | L :: rs' => match act L with Identity => settle rs' (pre L I) | Relu => mk_ns rs I (repeat None (length (pre L I))) end
  end.
Fixpoint set_nth (j : nat) (v : option sgn) (l : list (option sgn)) : list (option sgn) :=
  match l, j with [], _ => [] | _ :: l', O => v :: l' | a :: l', S j' => a :: set_nth j' v l' end.
Definition is_some (o : option sgn) : bool := match o with Some _ => true | None => false end.
Definition select (p : aff * option sgn) : aff := match snd p with Some Pos => fst p | _ => aff0 end.
Definition decide (st : nstate) (j : nat) (s : sgn) : nstate :=
  match rest st with
  | [] => st
  | L :: rs' => let S' := set_nth j (Some s) (sgs st) in
      if forallb is_some S' then settle rs' (map select (combine (pre L (ins st)) S')) else mk_ns (rest st) (ins st) S'
  end.
Definition head_pre (st : nstate) : list aff := match rest st with [] => [] | L :: _ => pre L (ins st) end.
Definition sg_ok (x : vec) (r : aff) (o : option sgn) : Prop := match o with Some s => sgn_holds s (ev r x) | None => True end.
(* st is right at x: net's output at x is the rest applied to the affine functions' values *)
Definition valid (net : network) (st : nstate) (x : vec) : Prop :=
  Forall2 Qeq (output net x) (output (rest st) (map (fun r => ev r x) (ins st))) /\
  match rest st with [] => True | L :: _ => act L = Relu /\ Forall2 (sg_ok x) (pre L (ins st)) (sgs st) end.

Lemma pre_out L I x : act L = Identity ->
  Forall2 Qeq (layer_out L (map (fun r => ev r x) I)) (map (fun r => ev r x) (pre L I)).
Proof. intros Ha. unfold layer_out, pre. rewrite Ha, map_map. apply Forall2_map_Qeq. intros p _.
  rewrite Qred_correct, ev_bias, ev_lin. reflexivity. Qed.

Lemma settle_valid net x : forall rs I, Forall2 Qeq (output net x) (output rs (map (fun r => ev r x) I)) ->
  valid net (settle rs I) x.
Proof. induction rs as [|L rs IH]; intros I H. split; simpl; auto.
  simpl settle. destruct (act L) eqn:Ea.
  - split; simpl. exact H. rewrite Ea. split; auto.
    generalize (pre L I). induction l; simpl; constructor; simpl; auto.
  - apply IH. eapply Forall2_Qeq_trans. exact H. rewrite output_cons. apply output_compat, pre_out, Ea. Qed.

Lemma set_nth_ok x j s : forall (l : list aff) Ss, Forall2 (sg_ok x) l Ss -> sgn_holds s (ev (nth j l aff0) x) ->
  Forall2 (sg_ok x) l (set_nth j (Some s) Ss).
Proof. induction j as [|j IH]; intros l Ss H Hs; destruct H; simpl; constructor; auto. Qed.

Lemma relu_sel (q e : Q) (s : sgn) : q == e -> sgn_holds s e ->
  relu q == (match s with Pos => e | _ => 0 end).
Proof. intros H Hs. unfold relu. destruct (Qle_bool q 0) eqn:E.
  - apply Qle_bool_iff in E. destruct s; simpl in Hs; try reflexivity. exfalso. rewrite H in E. apply (Qlt_not_le _ _ Hs E).
  - destruct s; simpl in Hs; auto; exfalso; assert (q <= 0) by (rewrite H; lra); apply Qle_bool_iff in H0; congruence. Qed.
Lemma relu_layer L I Ss x : act L = Relu -> Forall2 (sg_ok x) (pre L I) Ss -> forallb is_some Ss = true ->
  Forall2 Qeq (layer_out L (map (fun r => ev r x) I)) (map (fun r => ev r x) (map select (combine (pre L I) Ss))).
Proof. intros Ha. unfold layer_out, pre. rewrite Ha. generalize (combine (weights L) (bias L)) as c.
  intros c. revert Ss. induction c as [|p c IH]; intros Ss H Hs; inversion H; subst; cbn [map combine]; constructor.
  - cbn [forallb] in Hs. apply andb_true_iff in Hs as [Hs _]. destruct y as [s|]; try discriminate. simpl in H2.
    unfold select. cbn [fst snd]. cbv zeta.
    assert (E : Qred (dotl (fst p) (map (fun r => ev r x) I) + snd p) == ev (aff_bias (lin (fst p) I) (snd p)) x)
      by (rewrite Qred_correct, ev_bias, ev_lin; reflexivity).
    rewrite (relu_sel _ _ s E H2). destruct s; try (rewrite ev0; reflexivity). reflexivity.
  - cbn [forallb] in Hs. apply andb_true_iff in Hs as [_ Hs]. apply IH; auto. Qed.

Lemma decide_valid net st x j s : valid net st x -> sgn_holds s (ev (nth j (head_pre st) aff0) x) ->
  valid net (decide st j s) x.
Proof. intros Hv Hj. pose proof Hv as [Ho Hr]. unfold decide. unfold head_pre in Hj.
  destruct (rest st) as [|L rs] eqn:Er. exact Hv. destruct Hr as [Ha Hs].
  pose proof (set_nth_ok x j s _ _ Hs Hj) as Hs'.
  destruct (forallb is_some _) eqn:Eall.
  - apply settle_valid. eapply Forall2_Qeq_trans. exact Ho. rewrite output_cons.
    apply output_compat, relu_layer; auto.
  - split. exact Ho. split; auto. Qed.

(* --- rows of a cell: r(x) <= 0, r(x) < 0, r(x) = 0; Motzkin's certificate that rows have no common point --- *)
Inductive crow := RLe (r : aff) | RLt (r : aff) | REq (r : aff).
Definition satr (x : vec) (c : crow) : Prop :=
  match c with RLe r => ev r x <= 0 | RLt r => ev r x < 0 | REq r => ev r x == 0 end.
Definition satrb (x : vec) (c : crow) : bool :=
  match c with RLe r => Qle_bool (ev r x) 0 | RLt r => Qltb (ev r x) 0 | REq r => Qeq_bool (ev r x) 0 end.
Definition crow_aff (c : crow) : aff := match c with RLe r | RLt r | REq r => r end.
Fixpoint mz_comb (R : list crow) (y : list Q) : aff :=
  match R, y with c :: R', m :: y' => aff_add (aff_scale m (crow_aff c)) (mz_comb R' y') | _, _ => aff0 end.
Fixpoint mz_strict (R : list crow) (y : list Q) : Q :=
  match R, y with c :: R', m :: y' => (match c with RLt _ => m | _ => 0 end) + mz_strict R' y' | _, _ => 0 end.
Fixpoint mz_signs (R : list crow) (y : list Q) : bool :=
  match R, y with c :: R', m :: y' => (match c with REq _ => true | _ => Qle_bool 0 m end) && mz_signs R' y' | _, _ => true end.
(* sum_i y_i r_i = 0 . x + k with k > 0, or k = 0 and weight on a strict row *)
Definition motzkin (R : list crow) (y : list Q) : bool :=
  let k := mz_comb R y in
  forallb (fun q => Qeq_bool q 0) (aw k) && mz_signs R y &&
  (Qltb 0 (ac k) || (Qeq_bool (ac k) 0 && Qltb 0 (mz_strict R y))).

Lemma Qltb_spec a b : Qltb a b = true <-> a < b.
Proof. unfold Qltb. rewrite negb_true_iff. split; intros H.
  apply Qnot_le_lt. intros E. apply Qle_bool_iff in E. congruence.
  destruct (Qle_bool b a) eqn:E; auto. apply Qle_bool_iff in E. exfalso. apply (Qlt_not_le _ _ H E). Qed.
Lemma satrb_spec x c : satrb x c = true <-> satr x c.
Proof. destruct c; simpl. apply Qle_bool_iff. apply Qltb_spec. apply Qeq_bool_iff. Qed.
Lemma dotl_zero u x : forallb (fun q => Qeq_bool q 0) u = true -> dotl u x == 0.
Proof. revert x. induction u as [|a u IH]; intros x H. apply dotl_nil. simpl in H. apply andb_true_iff in H as [Ha H].
  destruct x as [|b x]. apply dotl_nil_r. rewrite dotl_cons, IH by auto. apply Qeq_bool_iff in Ha. rewrite Ha. ring. Qed.
Lemma mz_bound R y x : Forall (satr x) R -> mz_signs R y = true ->
  ev (mz_comb R y) x <= 0 /\ (0 < mz_strict R y -> ev (mz_comb R y) x < 0).
Proof. revert y. induction R as [|c R IH]; intros y HR Hs; destruct y as [|m y]; simpl; rewrite ?ev0;
  try (split; [apply Qle_refl | intros H; exfalso; apply (Qlt_irrefl 0); auto]).
  inversion HR; subst. simpl in Hs. apply andb_true_iff in Hs as [Hm Hs]. destruct (IH y H2 Hs) as [I1 I2].
  rewrite ev_add, ev_scale. destruct c; simpl in *; apply Qle_bool_iff in Hm || idtac.
  - split. nra. intros Hp. assert (0 < mz_strict R y) by lra. specialize (I2 H). nra.
  - split. nra. intros Hp. destruct (Qlt_le_dec 0 m). nra. assert (0 < mz_strict R y) by lra. specialize (I2 H). nra.
  - rewrite H1. split. lra. intros Hp. assert (0 < mz_strict R y) by lra. specialize (I2 H). lra. Qed.
Lemma motzkin_sound R y : motzkin R y = true -> forall x, ~ Forall (satr x) R.
Proof. unfold motzkin. intros H x HR. apply andb_true_iff in H as [H Hk]. apply andb_true_iff in H as [Hz Hs].
  destruct (mz_bound R y x HR Hs) as [I1 I2]. unfold ev in I1, I2. rewrite (dotl_zero _ x Hz) in I1, I2.
  apply orb_true_iff in Hk as [Hk|Hk]. apply Qltb_spec in Hk. lra.
  apply andb_true_iff in Hk as [H1 H2]. apply Qeq_bool_iff in H1. apply Qltb_spec in H2. specialize (I2 H2). lra. Qed.

(* --- segments, and the l1 distance: a network's function is Lipschitz --- *)
Definition lerp (t : Q) (x y : vec) : vec := map (fun p => fst p + t * (snd p - fst p)) (combine x y).
Fixpoint l1 (u v : vec) : Q := match u, v with a :: u', b :: v' => Qabs (a - b) + l1 u' v' | _, _ => 0 end.
Fixpoint suma (w : vec) : Q := match w with [] => 0 | a :: w' => Qabs a + suma w' end.

Lemma l1_nonneg u v : 0 <= l1 u v.
Proof. revert v. induction u as [|a u IH]; intros [|b v]; cbn [l1]; try apply Qle_refl.
  specialize (IH v). pose proof (Qabs_nonneg (a - b)). lra. Qed.
Lemma suma_nonneg w : 0 <= suma w.
Proof. induction w; cbn [suma]. apply Qle_refl. pose proof (Qabs_nonneg a). lra. Qed.
Lemma lerp_length t x y : length x = length y -> length (lerp t x y) = length x.
Proof. intros H. unfold lerp. rewrite map_length, combine_length, H. apply Nat.min_id. Qed.
Lemma dotl_lerp w t : forall x y, length x = length y -> dotl w (lerp t x y) == (1 - t) * dotl w x + t * dotl w y.
Proof. induction w as [|a w IH]; intros x y H. rewrite !dotl_nil. ring.
  destruct x as [|b x], y as [|c y]; try discriminate. unfold lerp. cbn [combine map]. rewrite !dotl_nil_r. ring.
  unfold lerp. cbn [combine map fst snd]. fold (lerp t x y). rewrite !dotl_cons, IH by (simpl in H; lia). ring. Qed.
Lemma ev_lerp r t x y : length x = length y -> ev r (lerp t x y) == (1 - t) * ev r x + t * ev r y.
Proof. intros H. unfold ev. rewrite dotl_lerp by auto. ring. Qed.
Lemma l1_lerp t x y : 0 <= t -> l1 x (lerp t x y) == t * l1 x y.
Proof. intros Ht. revert y. induction x as [|a x IH]; intros [|b y]; unfold lerp; cbn [l1 combine map fst snd]; try ring.
  fold (lerp t x y). rewrite IH. setoid_replace (a - (a + t * (b - a))) with (t * (a - b)) by ring.
  rewrite Qabs_Qmult, (Qabs_pos t Ht). ring. Qed.
Lemma Qabs_le_bounds a r : a <= r -> - a <= r -> Qabs a <= r.
Proof. intros H1 H2. apply Qabs_Qle_condition. lra. Qed.
Lemma Qabs_ge2 a : a <= Qabs a /\ - a <= Qabs a.
Proof. split. apply Qle_Qabs. rewrite <- Qabs_opp. apply Qle_Qabs. Qed.
Lemma Qabs_zero_le q r : q == 0 -> 0 <= r -> Qabs q <= r.
Proof. intros H Hr. rewrite H. simpl. exact Hr. Qed.
Lemma dotl_lip w : forall u v, length u = length v -> Qabs (dotl w u - dotl w v) <= suma w * l1 u v.
Proof. induction w as [|a w IH]; intros u v H.
  apply Qabs_zero_le. rewrite (dotl_nil u), (dotl_nil v). ring. cbn [suma]. rewrite Qmult_0_l. apply Qle_refl.
  destruct u as [|b u], v as [|c v]; try discriminate.
  apply Qabs_zero_le. rewrite (dotl_nil_r (a :: w)). ring. cbn [l1]. rewrite Qmult_0_r. apply Qle_refl.
  rewrite !dotl_cons. simpl in H. specialize (IH u v ltac:(lia)). cbn [suma l1].
  setoid_replace (a * b + dotl w u - (a * c + dotl w v)) with (a * (b - c) + (dotl w u - dotl w v)) by ring.
  eapply Qle_trans. apply Qabs_triangle. rewrite Qabs_Qmult.
  pose proof (Qabs_nonneg a). pose proof (Qabs_nonneg (b - c)). pose proof (suma_nonneg w). pose proof (l1_nonneg u v).
  nra. Qed.
Lemma relu_lip a b : Qabs (relu a - relu b) <= Qabs (a - b).
Proof. destruct (Qabs_ge2 (a - b)) as [R1 R2]. unfold relu.
  destruct (Qle_bool a 0) eqn:E1, (Qle_bool b 0) eqn:E2; apply Qabs_le_bounds;
  try apply Qle_bool_iff in E1; try apply Qle_bool_iff in E2;
  repeat match goal with H : Qle_bool _ _ = false |- _ =>
    let H' := fresh in assert (H' : ~ _ <= _) by (intros E; apply Qle_bool_iff in E; rewrite E in H; discriminate H);
    apply Qnot_le_lt in H'; clear H end; lra. Qed.
Definition lay_k (c : list (vec * Q)) : Q := fold_right (fun p s => suma (fst p) + s) 0 c.
Lemma lay_k_nonneg c : 0 <= lay_k c.
Proof. induction c; cbn [lay_k fold_right] in *. apply Qle_refl. pose proof (suma_nonneg (fst a)). fold (lay_k c). lra. Qed.
Lemma layer_lip L u v : length u = length v ->
  l1 (layer_out L u) (layer_out L v) <= lay_k (combine (weights L) (bias L)) * l1 u v.
Proof. intros H. unfold layer_out. induction (combine (weights L) (bias L)) as [|p c IH]; cbn [map l1 lay_k fold_right].
  pose proof (l1_nonneg u v). lra. fold (lay_k c).
  assert (Hp : Qabs ((let q := Qred (dotl (fst p) u + snd p) in match act L with Relu => relu q | Identity => q end) -
                     (let q := Qred (dotl (fst p) v + snd p) in match act L with Relu => relu q | Identity => q end))
               <= suma (fst p) * l1 u v).
  { eapply Qle_trans; [|apply (dotl_lip (fst p) u v H)].
    assert (E : Qred (dotl (fst p) u + snd p) - Qred (dotl (fst p) v + snd p) == dotl (fst p) u - dotl (fst p) v)
      by (rewrite !Qred_correct; ring).
    destruct (act L); cbv zeta. eapply Qle_trans. apply relu_lip. rewrite E. apply Qle_refl. rewrite E. apply Qle_refl. }
  cbv zeta in Hp. nra. Qed.
Lemma layer_out_length L u v : length (layer_out L u) = length (layer_out L v).
Proof. unfold layer_out. rewrite !map_length. reflexivity. Qed.
Lemma output_length net : forall u v, length u = length v -> length (output net u) = length (output net v).
Proof. induction net as [|L net IH]; intros u v H. exact H. rewrite !output_cons. apply IH, layer_out_length. Qed.
Lemma net_lip net : exists K, 0 <= K /\ forall u v, length u = length v -> l1 (output net u) (output net v) <= K * l1 u v.
Proof. induction net as [|L net IH]. exists 1. split. lra. intros u v _. change (l1 u v <= 1 * l1 u v). rewrite Qmult_1_l. apply Qle_refl.
  destruct IH as [K [HK H]]. exists (K * lay_k (combine (weights L) (bias L))). split.
  apply Qmult_le_0_compat; auto. apply lay_k_nonneg.
  intros u v Huv. rewrite !output_cons. eapply Qle_trans. apply H, layer_out_length.
  pose proof (layer_lip L u v Huv). pose proof (lay_k_nonneg (combine (weights L) (bias L))). pose proof (l1_nonneg u v).
  pose proof (l1_nonneg (layer_out L u) (layer_out L v)). nra. Qed.

Lemma l1_sym u v : l1 u v == l1 v u.
Proof. revert v. induction u as [|a u IH]; intros [|b v]; cbn [l1]; try reflexivity. rewrite IH, Qabs_Qminus. reflexivity. Qed.
Lemma l1_triangle u : forall v w, length u = length v -> length v = length w -> l1 u w <= l1 u v + l1 v w.
Proof. induction u as [|a u IH]; intros [|b v] [|c w] H1 H2; cbn [l1 length] in *; try discriminate; try lra.
  pose proof (l1_nonneg u w); pose proof (Qabs_nonneg (a - b)); pose proof (Qabs_nonneg (a - c)); try lra. specialize (IH v w ltac:(lia) ltac:(lia)).
  setoid_replace (a - c) with ((a - b) + (b - c)) by ring. pose proof (Qabs_triangle (a - b) (b - c)). lra. Qed.
Lemma l1_Forall2 u v : Forall2 Qeq u v -> l1 u v == 0.
Proof. induction 1; cbn [l1]. reflexivity. rewrite IHForall2, H. setoid_replace (y - y) with 0 by ring. reflexivity. Qed.
Lemma Forall2_l1 u : forall v, length u = length v -> l1 u v == 0 -> Forall2 Qeq u v.
Proof. induction u as [|a u IH]; intros [|b v] H E; cbn [l1 length] in *; try discriminate; constructor.
  - pose proof (Qabs_nonneg (a - b)). pose proof (l1_nonneg u v). assert (Z : Qabs (a - b) == 0) by lra.
    destruct (Qabs_ge2 (a - b)). lra.
  - apply IH. lia. pose proof (Qabs_nonneg (a - b)). pose proof (l1_nonneg u v). lra. Qed.

Lemma Forall2_len {T U} (P : T -> U -> Prop) l l' : Forall2 P l l' -> length l = length l'.
Proof. induction 1; simpl; auto. Qed.
Lemma limit_zero a c : 0 <= a -> 0 <= c -> (forall t, 0 < t -> t <= 1 -> a <= c * t) -> a == 0.
Proof. intros Ha Hc H. destruct (Qlt_le_dec 0 a) as [Hp|Hn]; [|lra]. exfalso.
  assert (Hs : 0 < a + c + 1) by lra.
  assert (Ht : 0 < a / (a + c + 1)).
  { apply Qlt_shift_div_l. exact Hs. rewrite Qmult_0_l. exact Hp. }
  assert (Ht1 : a / (a + c + 1) <= 1).
  { apply Qle_shift_div_r. exact Hs. rewrite Qmult_1_l. lra. }
  specialize (H _ Ht Ht1).
  assert (E : c * (a / (a + c + 1)) * (a + c + 1) == c * a).
  { field. intros E. rewrite E in Hs. apply (Qlt_irrefl 0). exact Hs. }
  assert (H0 : a * (a + c + 1) <= c * (a / (a + c + 1)) * (a + c + 1)) by (apply Qmult_le_compat_r; lra).
  rewrite E in H0. nra. Qed.

Lemma continuity f g x y : length x = length y ->
  (forall t, 0 < t -> t <= 1 -> Forall2 Qeq (output f (lerp t x y)) (output g (lerp t x y))) ->
  Forall2 Qeq (output f x) (output g x).
Proof. intros Hl H. destruct (net_lip f) as [Kf [HKf Hf]]. destruct (net_lip g) as [Kg [HKg Hg]].
  assert (Len : forall t, length (lerp t x y) = length x) by (intros; apply lerp_length; auto).
  assert (Hlen : length (output f x) = length (output g x)).
  { assert (H1 : 0 < 1) by lra. assert (H2 : 1 <= 1) by lra. pose proof (Forall2_len _ _ _ (H 1 H1 H2)) as E.
    rewrite (output_length f x (lerp 1 x y)), (output_length g x (lerp 1 x y)) by (symmetry; apply Len). exact E. }
  apply Forall2_l1; auto. apply (limit_zero _ ((Kf + Kg) * l1 x y)).
  apply l1_nonneg. pose proof (l1_nonneg x y). nra.
  intros t Ht Ht1. set (z := lerp t x y). specialize (H t Ht Ht1). fold z in H.
  assert (Lz : length x = length z) by (symmetry; apply Len).
  pose proof (Forall2_len _ _ _ H) as Hfz.
  pose proof (output_length f x z Lz) as Lf. pose proof (output_length g x z Lz) as Lg.
  eapply Qle_trans. apply (l1_triangle _ (output f z)); lia.
  eapply Qle_trans. apply Qplus_le_r. apply (l1_triangle _ (output g z)); lia.
  rewrite (l1_Forall2 _ _ H), (l1_sym (output g z)).
  pose proof (Hf x z Lz). pose proof (Hg x z Lz). unfold z in *. rewrite l1_lerp in * by lra.
  pose proof (l1_nonneg x y). nra. Qed.

(* --- the covering tree --- *)
Definition aff_neg (r : aff) : aff := aff_scale (-1) r.
Definition aff_sub (r s : aff) : aff := aff_add r (aff_neg s).
Definition aff_zerob (r : aff) : bool := forallb (fun q => Qeq_bool q 0) (aw r) && Qeq_bool (ac r) 0.
(* the row of a decision: p > 0 is -p < 0, p < 0, p = 0 *)
Definition sgn_row (s : sgn) (p : aff) : crow := match s with Pos => RLt (aff_neg p) | Neg => RLt p | Zer => REq p end.
(* the outputs agree as affine maps, or for each output whose maps differ: Motzkin certificates that the
   difference d is neither > 0 nor < 0 anywhere on the cell *)
Fixpoint leaf_ok (R : list crow) (F G : list aff) (cs : list (option (list Q * list Q))) : bool :=
  match F, G, cs with
  | [], [], [] => true
  | a :: F', b :: G', c :: cs' =>
      match c with
      | None => aff_zerob (aff_sub a b)
      | Some (yp, yn) => motzkin (R ++ [RLt (aff_neg (aff_sub a b))]) yp && motzkin (R ++ [RLt (aff_sub a b)]) yn
      end && leaf_ok R F' G' cs'
  | _, _, _ => false
  end.
(* A node decides neuron j of the next relu layer of network f (false) or g (true): children for
   p > 0, p < 0 and p = 0; or, without the p = 0 child, a point y of the cell with p(y) <> 0 (every
   point with p = 0 is then a limit of points of the other children: continuity). *)
Inductive ftree :=
| TEmpty (y : list Q)
| TLeaf (cs : list (option (list Q * list Q)))
| TNode (b : bool) (j : nat) (tp tm tz : ftree)
| TNodeP (b : bool) (j : nat) (tp tm : ftree) (y : vec).

Definition upd (b : bool) (sf sg : nstate) (j : nat) (s : sgn) : nstate * nstate :=
  if b then (sf, decide sg j s) else (decide sf j s, sg).
Definition split_on (b : bool) (sf sg : nstate) (j : nat) : aff := nth j (head_pre (if b then sg else sf)) aff0.
Fixpoint check_tree (n : nat) (R : list crow) (sf sg : nstate) (t : ftree) : bool :=
  match t with
  | TEmpty y => motzkin R y
  | TLeaf cs => match rest sf, rest sg with [], [] => leaf_ok R (ins sf) (ins sg) cs | _, _ => false end
  | TNode b j tp tm tz => let p := split_on b sf sg j in
      check_tree n (R ++ [sgn_row Pos p]) (fst (upd b sf sg j Pos)) (snd (upd b sf sg j Pos)) tp &&
      check_tree n (R ++ [sgn_row Neg p]) (fst (upd b sf sg j Neg)) (snd (upd b sf sg j Neg)) tm &&
      check_tree n (R ++ [sgn_row Zer p]) (fst (upd b sf sg j Zer)) (snd (upd b sf sg j Zer)) tz
  | TNodeP b j tp tm y => let p := split_on b sf sg j in
      check_tree n (R ++ [sgn_row Pos p]) (fst (upd b sf sg j Pos)) (snd (upd b sf sg j Pos)) tp &&
      check_tree n (R ++ [sgn_row Neg p]) (fst (upd b sf sg j Neg)) (snd (upd b sf sg j Neg)) tm &&
      Nat.eqb (length y) n && forallb (satrb y) R && negb (Qeq_bool (ev p y) 0)
  end.

Fixpoint units (n : nat) : list vec := match n with O => [] | S n' => [1] :: map (cons 0) (units n') end.
Definition dom_row (c : constraint) : crow := match c with Le a b => RLe (mk_aff a (- b)) | Eqc a b => REq (mk_aff a (- b)) end.
Definition check_equal (n : nat) (D : list constraint) (f g : network) (t : ftree) : bool :=
  let I := map (fun u => mk_aff u 0) (units n) in check_tree n (map dom_row D) (settle f I) (settle g I) t.

Section Tree.
Variables f g : network.
Variable n : nat.
Definition Inv (R : list crow) (sf sg : nstate) : Prop :=
  forall x, length x = n -> Forall (satr x) R -> valid f sf x /\ valid g sg x.

Lemma sgn_row_holds s p x : satr x (sgn_row s p) -> sgn_holds s (ev p x).
Proof. destruct s; simpl; auto. unfold aff_neg. rewrite ev_scale. lra. Qed.
Lemma child_inv R sf sg b j s : Inv R sf sg ->
  Inv (R ++ [sgn_row s (split_on b sf sg j)]) (fst (upd b sf sg j s)) (snd (upd b sf sg j s)).
Proof. intros H x Hx HR. apply Forall_app in HR as [HR Hr]. inversion Hr; subst. apply sgn_row_holds in H2.
  destruct (H x Hx HR) as [Hf Hg]. unfold upd, split_on in *. destruct b; simpl; split; auto; apply decide_valid; auto. Qed.

Lemma satr_lerp x y t c : length x = length y -> 0 <= t -> t <= 1 -> satr x c -> satr y c -> satr (lerp t x y) c.
Proof. intros Hl H0 H1. destruct c; simpl; rewrite ev_lerp by auto; intros Hx Hy.
  nra. destruct (Qlt_le_dec 0 t). nra. assert (t == 0) by lra. rewrite H. lra. rewrite Hx, Hy. ring. Qed.
Lemma Forall_satr_lerp x y t R : length x = length y -> 0 <= t -> t <= 1 ->
  Forall (satr x) R -> Forall (satr y) R -> Forall (satr (lerp t x y)) R.
Proof. intros Hl H0 H1 Hx Hy. rewrite Forall_forall in *. intros c Hc. apply satr_lerp; auto. Qed.

Lemma aff_sub_ev a b x : ev (aff_sub a b) x == ev a x - ev b x.
Proof. unfold aff_sub, aff_neg. rewrite ev_add, ev_scale. ring. Qed.
Lemma leaf_sound R x : Forall (satr x) R -> forall F G cs, leaf_ok R F G cs = true ->
  Forall2 Qeq (map (fun r => ev r x) F) (map (fun r => ev r x) G).
Proof. intros HR. induction F as [|a F IH]; intros [|b G] [|c cs] H; simpl in H; try discriminate; constructor.
  - apply andb_true_iff in H as [H _]. destruct c as [[yp yn]|].
    + apply andb_true_iff in H as [Hp Hn]. destruct (Q_dec (ev a x) (ev b x)) as [[Hlt|Hgt]|Heq]; auto; exfalso.
      * apply (motzkin_sound _ _ Hn x). apply Forall_app. split; auto. constructor; auto. simpl. rewrite aff_sub_ev. lra.
      * apply (motzkin_sound _ _ Hp x). apply Forall_app. split; auto. constructor; auto. simpl.
        unfold aff_neg. rewrite ev_scale, aff_sub_ev. lra.
    + unfold aff_zerob in H. apply andb_true_iff in H as [Hw Hc]. apply Qeq_bool_iff in Hc.
      pose proof (aff_sub_ev a b x) as E. unfold ev in E at 1. rewrite (dotl_zero _ x Hw), Hc in E. lra.
  - apply andb_true_iff in H as [_ H]. apply (IH G cs H). Qed.

Lemma tree_sound t : forall R sf sg, check_tree n R sf sg t = true -> Inv R sf sg ->
  forall x, length x = n -> Forall (satr x) R -> Forall2 Qeq (output f x) (output g x).
Proof. induction t as [y|cs|b j tp IHp tm IHm tz IHz|b j tp IHp tm IHm y]; intros R sf sg H Hinv x Hx HR; simpl in H.
  - exfalso. apply (motzkin_sound _ _ H x HR).
  - destruct (Hinv x Hx HR) as [[Hf _] [Hg _]].
    destruct (rest sf) eqn:E1; try discriminate. destruct (rest sg) eqn:E2; try discriminate.
    change (output [] ?h) with h in Hf, Hg.
    eapply Forall2_Qeq_trans. exact Hf. eapply Forall2_Qeq_trans. apply (leaf_sound R x HR _ _ cs H).
    apply Forall2_Qeq_sym. exact Hg.
  - apply andb_true_iff in H as [H Hz]. apply andb_true_iff in H as [Hp Hm].
    set (p := split_on b sf sg j) in *.
    destruct (Q_dec (ev p x) 0) as [[Hlt|Hgt]|Heq].
    + apply (IHm _ _ _ Hm (child_inv R sf sg b j Neg Hinv) x Hx). apply Forall_app. split; auto.
    + apply (IHp _ _ _ Hp (child_inv R sf sg b j Pos Hinv) x Hx). apply Forall_app. split; auto.
      constructor; auto. simpl. unfold aff_neg. rewrite ev_scale. lra.
    + apply (IHz _ _ _ Hz (child_inv R sf sg b j Zer Hinv) x Hx). apply Forall_app. split; auto.
  - apply andb_true_iff in H as [H Hpy]. apply andb_true_iff in H as [H HRy].
    apply andb_true_iff in H as [H Hy]. apply andb_true_iff in H as [Hp Hm].
    apply Nat.eqb_eq in Hy. apply negb_true_iff in Hpy.
    set (p := split_on b sf sg j) in *.
    assert (HRy' : Forall (satr y) R) by (apply Forall_forall; intros c Hc; apply satrb_spec; rewrite forallb_forall in HRy; auto).
    assert (Hpy' : ~ ev p y == 0) by (intros E; apply Qeq_bool_iff in E; congruence).
    assert (Pos_case : forall z, length z = n -> Forall (satr z) R -> 0 < ev p z -> Forall2 Qeq (output f z) (output g z)).
    { intros z Hz HRz Hpz. apply (IHp _ _ _ Hp (child_inv R sf sg b j Pos Hinv) z Hz). apply Forall_app. split; auto.
      constructor; auto. simpl. unfold aff_neg. rewrite ev_scale. lra. }
    assert (Neg_case : forall z, length z = n -> Forall (satr z) R -> ev p z < 0 -> Forall2 Qeq (output f z) (output g z)).
    { intros z Hz HRz Hpz. apply (IHm _ _ _ Hm (child_inv R sf sg b j Neg Hinv) z Hz). apply Forall_app. split; auto. }
    destruct (Q_dec (ev p x) 0) as [[Hlt|Hgt]|Heq]; auto.
    assert (Hl : length x = length y) by lia.
    apply (continuity f g x y Hl). intros t Ht Ht1.
    assert (Lz : length (lerp t x y) = n) by (rewrite lerp_length; auto).
    assert (HRz : Forall (satr (lerp t x y)) R) by (apply Forall_satr_lerp; auto; lra).
    assert (E : ev p (lerp t x y) == t * ev p y) by (rewrite ev_lerp, Heq by auto; ring).
    destruct (Q_dec (ev p y) 0) as [[Hlt|Hgt]|Heq']; [apply Neg_case | apply Pos_case | contradiction]; auto;
      rewrite E; nra.
Qed.
End Tree.

Lemma units_ok x : Forall2 Qeq x (map (fun r => ev r x) (map (fun u => mk_aff u 0) (units (length x)))).
Proof. induction x as [|a x IH]; simpl. constructor. rewrite map_map in *. constructor.
  - unfold ev. simpl. rewrite dotl_cons, dotl_nil. ring.
  - rewrite map_map. eapply Forall2_Qeq_trans. exact IH. apply Forall2_map_Qeq. intros u _. unfold ev. simpl.
    rewrite dotl_cons. ring. Qed.

Lemma equal_functions_true n D f g t : check_equal n D f g t = true -> equal_on n D f g.
Proof. unfold check_equal, equal_on. intros H x Hx HD.
  set (I := map (fun u => mk_aff u 0) (units n)) in *.
  assert (Hinv : Inv f g n (map dom_row D) (settle f I) (settle g I)).
  { intros z Hz _. subst I. rewrite <- Hz. split; apply settle_valid; apply output_compat, units_ok. }
  apply (tree_sound f g n t _ _ _ H Hinv x Hx). apply Forall_forall. intros c Hc. apply in_map_iff in Hc as [c' [<- Hc']].
  specialize (HD c' Hc'). destruct c'; simpl in *; unfold ev; simpl; lra. Qed.

(* --- similarity: A = s Q B with s > 0 and Q orthogonal.  s may be irrational (s^2 rational), and then
   no rational Q exists, so the claim is stated on squared norms of images: |A w|^2 = s^2 |B w|^2 for
   every w, which holds exactly when A^T A = s^2 B^T B, i.e. exactly for such s and (real) Q. --- *)
Definition similar (d : nat) (A B : mat) : Prop :=
  length A = length B /\ exists s2, 0 < s2 /\ forall w, norm_image d A w == s2 * norm_image d B w.
(* sum_i C_ik C_il *)
Definition gram (n : nat) (C : mat) (k l : nat) : Q := sumn n (fun i => at_ (row C i) k * at_ (row C i) l).

Lemma coords_norm d A C R w : (forall i, (i < length A)%nat -> forall j, (j < d)%nat -> at_ (row A i) j == comb (row C i) R j) ->
  norm_image d A w == sumn (length R) (fun k => sumn (length R) (fun l =>
    gram (length A) C k l * (dotv d (nth k R []) w * dotv d (nth l R []) w))).
Proof. intros HA. unfold norm_image, gram. set (n := length A) in *. set (r := length R). set (u := fun k => dotv d (nth k R []) w).
  assert (Hi : forall i, (i < n)%nat -> dotv d (row A i) w == sumn r (fun k => at_ (row C i) k * u k)).
  { intros i Hi. unfold u, dotv. rewrite (sumn_ext d _ (fun j => sumn r (fun k => at_ (row C i) k * at_ (nth k R []) j * at_ w j))).
    - rewrite sumn_swap. apply sumn_ext. intros k _. rewrite <- sumn_scale. apply sumn_ext. intros; ring.
    - intros j Hj. rewrite (HA i Hi j Hj). unfold comb. fold r. rewrite sumn_scale_r. reflexivity. }
  rewrite (sumn_ext n _ (fun i => sumn r (fun k => sumn r (fun l => at_ (row C i) k * u k * (at_ (row C i) l * u l)))))
    by (intros i Hi'; rewrite (Hi i Hi'); apply sumn_square).
  rewrite sumn_swap. apply sumn_ext. intros k _. rewrite sumn_swap. apply sumn_ext. intros l _.
  fold (u k). fold (u l). rewrite <- sumn_scale_r. apply sumn_ext. intros; ring. Qed.

Definition check_similar (d : nat) (A B : mat) (s2 : Q) (I : list nat) (CA CB : mat) : bool :=
  Nat.eqb (length A) (length B) && Qltb 0 s2 &&
  forallb (fun i => check_span d (row A i) (rows B I) (row CA i) && check_span d (row B i) (rows B I) (row CB i)) (seq 0 (length A)) &&
  forallb (fun k => forallb (fun l => Qeq_bool (gram (length A) CA k l) (s2 * gram (length A) CB k l)) (seq 0 (length I))) (seq 0 (length I)).

Lemma forallb_seq f n : forallb f (seq 0 n) = true -> forall i, (i < n)%nat -> f i = true.
Proof. rewrite forallb_forall. intros H i Hi. apply H, in_seq. lia. Qed.

Lemma similar_true d A B s2 I CA CB : check_similar d A B s2 I CA CB = true -> similar d A B.
Proof. unfold check_similar. intros H. apply andb_true_iff in H as [H Hg]. apply andb_true_iff in H as [H Hc].
  apply andb_true_iff in H as [Hn Hs]. apply Nat.eqb_eq in Hn. apply Qltb_spec in Hs.
  split; auto. exists s2. split; auto. intros w.
  assert (HB : forall i, (i < length B)%nat -> forall j, (j < d)%nat -> at_ (row B i) j == comb (row CB i) (rows B I) j)
    by (intros i Hi; rewrite <- Hn in Hi; apply check_span_at; pose proof (forallb_seq _ _ Hc i Hi) as E;
        apply andb_true_iff in E as [_ E]; exact E).
  assert (HA' : forall i, (i < length A)%nat -> forall j, (j < d)%nat -> at_ (row A i) j == comb (row CA i) (rows B I) j)
    by (intros i Hi j Hj; pose proof (forallb_seq _ _ Hc i Hi) as E; apply andb_true_iff in E as [E _];
        apply (check_span_at _ _ _ _ E j Hj)).
  rewrite (coords_norm d A CA _ w HA'), (coords_norm d B CB _ w HB), <- Hn, <- sumn_scale.
  apply sumn_ext. intros k Hk. rewrite <- sumn_scale. apply sumn_ext. intros l Hl.
  unfold rows in Hk, Hl. rewrite map_length in Hk, Hl.
  pose proof (forallb_seq _ _ Hg k Hk) as E. pose proof (forallb_seq _ _ E l Hl) as E'. apply Qeq_bool_iff in E'.
  rewrite E'. ring. Qed.
Lemma similar_false1 d A B w :
  negb (Bool.eqb (Qeq_bool (norm_image d A w) 0) (Qeq_bool (norm_image d B w) 0)) = true -> ~ similar d A B.
Proof. intros H [_ [s2 [Hs E]]]. specialize (E w). apply negb_true_iff in H.
  destruct (Qeq_bool (norm_image d A w) 0) eqn:E1, (Qeq_bool (norm_image d B w) 0) eqn:E2; try discriminate.
  - apply Qeq_bool_iff in E1. rewrite E1 in E. destruct (Qeq_dec (norm_image d B w) 0) as [Z|Z].
    apply Qeq_bool_iff in Z. congruence. apply Z. symmetry in E. apply Qmult_integral in E as [E|E]; auto. lra.
  - apply Qeq_bool_iff in E2. rewrite E2 in E. assert (norm_image d A w == 0) by (rewrite E; ring).
    apply Qeq_bool_iff in H0. congruence. Qed.
Lemma similar_false2 d A B w v :
  negb (Qeq_bool (norm_image d A w * norm_image d B v) (norm_image d A v * norm_image d B w)) = true -> ~ similar d A B.
Proof. intros H [_ [s2 [Hs E]]]. apply negb_true_iff in H. rewrite (E w), (E v) in H.
  assert (s2 * norm_image d B w * norm_image d B v == s2 * norm_image d B v * norm_image d B w) by ring.
  apply Qeq_bool_iff in H0. congruence. Qed.
Lemma similar_widths d A B : Nat.eqb (length A) (length B) = false -> ~ similar d A B.
Proof. intros H [Hn _]. apply Nat.eqb_neq in H. auto. Qed.

(* --- CKA bounds written with square roots, or on CKA^2 (claims with squared = true) ---
   A target c sqrt(q) (c, q >= 0; a rational t is (t, 1)) is compared through squares: for X >= 0,
   X = c sqrt(q) iff X^2 = c^2 q, and likewise for <= and >=.  X is CKA (sq = false), whose square is
   cka2, or CKA^2 (sq = true), whose square is cka2^2. *)
Definition surd_ok (t : Q * Q) : Prop := 0 <= fst t /\ 0 <= snd t.
Definition surd_sq (t : Q * Q) : Q := fst t * fst t * snd t.
Definition cka_sq (d : nat) (A B : mat) (sq : bool) : Q := if sq then cka2 d A B * cka2 d A B else cka2 d A B.
Definition opt2 (P : Q * Q -> Prop) (o : option (Q * Q)) : Prop := match o with None => True | Some t => P t end.
Definition cka_surd_claim (d : nat) (A B : mat) (sq : bool) (eq lo hi : option (Q * Q)) : Prop :=
  ~ hsic d (center d A) (center d A) == 0 /\ ~ hsic d (center d B) (center d B) == 0 /\
  opt2 (fun t => surd_ok t /\ cka_sq d A B sq == surd_sq t) eq /\
  opt2 (fun t => surd_ok t /\ surd_sq t <= cka_sq d A B sq) lo /\
  opt2 (fun t => surd_ok t /\ cka_sq d A B sq <= surd_sq t) hi.
Definition optb2 (p : Q * Q -> bool) (o : option (Q * Q)) : bool := match o with None => true | Some t => p t end.
Definition surd_okb (t : Q * Q) : bool := Qle_bool 0 (fst t) && Qle_bool 0 (snd t).
Definition cka_surd_claimb (d : nat) (A B : mat) (sq : bool) (eq lo hi : option (Q * Q)) : bool :=
  match cka_parts d A B with (ha, hb, c2) => let x := if sq then c2 * c2 else c2 in
  negb (Qeq_bool ha 0) && negb (Qeq_bool hb 0) &&
  optb2 (fun t => surd_okb t && Qeq_bool x (surd_sq t)) eq &&
  optb2 (fun t => surd_okb t && Qle_bool (surd_sq t) x) lo &&
  optb2 (fun t => surd_okb t && Qle_bool x (surd_sq t)) hi end.
Lemma cka_surd_claimb_spec d A B sq eq lo hi : cka_surd_claimb d A B sq eq lo hi = true <-> cka_surd_claim d A B sq eq lo hi.
Proof. unfold cka_surd_claimb, cka_surd_claim, surd_okb, surd_ok. pose proof (cka_parts_spec d A B) as Hp.
  destruct (cka_parts d A B) as [[ha hb] c2]. destruct Hp as [E1 [E2 E3]]. cbv zeta.
  assert (Ex : (if sq then c2 * c2 else c2) == cka_sq d A B sq) by (unfold cka_sq; destruct sq; rewrite E3; reflexivity).
  assert (Hn : forall q, Qeq_bool q 0 = false <-> ~ q == 0).
  { intros q. split; intros H. intros Hq. apply Qeq_bool_iff in Hq. congruence.
    destruct (Qeq_bool q 0) eqn:E; auto. apply Qeq_bool_iff in E. contradiction. }
  destruct eq as [[? ?]|], lo as [[? ?]|], hi as [[? ?]|]; cbn [opt2 optb2 fst snd];
  rewrite !andb_true_iff, !negb_true_iff, !Hn, ?Qeq_bool_iff, ?Qle_bool_iff, ?andb_true_iff, ?Qle_bool_iff, ?Qeq_bool_iff;
  rewrite <- E1, <- E2, <- ?Ex; tauto. Qed.
Lemma cka_surd_true d A B sq eq lo hi : cka_surd_claimb d A B sq eq lo hi = true -> cka_surd_claim d A B sq eq lo hi.
Proof. apply cka_surd_claimb_spec. Qed.
Lemma cka_surd_false d A B sq eq lo hi : cka_surd_claimb d A B sq eq lo hi = false -> ~ cka_surd_claim d A B sq eq lo hi.
Proof. intros H Hc. apply cka_surd_claimb_spec in Hc. congruence. Qed.

(* --- relations between measures, and invariance under a transform ---
   A quantity is CKA of two matrices, the similarity of their maximum eps-match, or a constant
   c sqrt(q).  All are >= 0, so each is named by its square (sqval) and compared through squares. *)
(* mutual k-NN (Huh et al. 2024): the feature vector of point p is column p of A; the k nearest
   neighbours of point i are the k other points of largest cosine to it, compared by the key
   sign(t) t^2 / |v|^2 (t = u.v), which orders the points v as cos(u, v) does.  Defined when
   1 <= k < n, no feature vector is zero and no tie straddles the k-th place (every neighbour set
   has exactly k points; symrep's range over tie-breakings is then one value); the value is the
   mean over points i of |N_A(i) & N_B(i)| / k. *)
Definition col (A : mat) (p : nat) : vec := map (fun r => at_ r p) A.
Definition cos_key (m : nat) (u v : vec) : Q :=
  let t := dotv m u v in (if Qle_bool 0 t then t * t else - (t * t)) / n2 m v.
Definition knn (m n k : nat) (A : mat) (i : nat) : list nat :=
  filter (fun j => negb (Nat.eqb j i) && Nat.ltb (length (filter (fun l => negb (Nat.eqb l i) &&
            Qltb (cos_key m (col A i) (col A j)) (cos_key m (col A i) (col A l))) (seq 0 n))) k) (seq 0 n).
Definition knn_ok (n k : nat) (A : mat) : bool :=
  forallb (fun p => negb (Qeq_bool (n2 (length A) (col A p)) 0)) (seq 0 n) &&
  forallb (fun i => Nat.eqb (length (knn (length A) n k A i)) k) (seq 0 n).
Definition mutual_knn (n k : nat) (A B : mat) : option Q :=
  if Nat.leb 1 k && Nat.ltb k n && knn_ok n k A && knn_ok n k B then
    Some (inject_Z (Z.of_nat (fold_right plus 0%nat (map (fun i =>
            length (filter (fun j => memb j (knn (length B) n k B i)) (knn (length A) n k A i))) (seq 0 n))))
          / inject_Z (Z.of_nat (n * k)))
  else None.

(* RSA (ReSi's form): the feature vectors are the columns of A (points); the RDM lists, for the pairs
   i < j of points, the squared Euclidean distance (eucl = true) or 1 - r(p_i, p_j) (eucl = false),
   there represented by the key -sign(c) c^2 / (var var) (c the covariance), which orders the pairs
   as 1 - r does and is used with Spearman only, which reads only the order; Spearman (spear = true)
   replaces each entry by its average rank; RSA is the Pearson correlation of the two RDMs, returned
   as (sign, square): RSA = sign sqrt(square).  Undefined (None) below 3 points or for a constant
   vector.  All correlations are computed as n^2 cov, n^2 var (the factors cancel). *)
Definition mean_free (u : vec) : vec :=
  let n := inject_Z (Z.of_nat (length u)) in let s := fold_right Qplus 0 u in map (fun x => n * x - s) u.
Definition corr (u v : vec) : Q * Q * Q :=
  let cu := mean_free u in let cv := mean_free v in (dotl cu cv, dotl cu cu, dotl cv cv).
Definition point_pairs (n : nat) : list (nat * nat) :=
  flat_map (fun i => map (fun j => (i, j)) (seq (S i) (n - S i))) (seq 0 n).
Definition signed_sq (c : Q) : Q := if Qle_bool 0 c then c * c else - (c * c).
Definition rdm (eucl : bool) (n : nat) (A : mat) : option vec :=
  let ps := point_pairs n in
  if eucl then Some (map (fun p => let u := vsub (col A (fst p)) (col A (snd p)) in dotl u u) ps)
  else let cs := map (fun p => corr (col A (fst p)) (col A (snd p))) ps in
       if existsb (fun c => match c with (_, vu, vv) => Qeq_bool vu 0 || Qeq_bool vv 0 end) cs then None
       else Some (map (fun c => match c with (cc, vu, vv) => - signed_sq cc / (vu * vv) end) cs).
Definition ranks (u : vec) : vec :=
  let cnt f := inject_Z (Z.of_nat (length (filter f u))) in
  map (fun x => (2 * cnt (fun y => Qltb y x) + cnt (fun y => Qeq_bool y x) + 1) / 2) u.
Definition rsa (eucl spear : bool) (n : nat) (A B : mat) : option (Q * Q) :=
  if Nat.ltb n 3 then None else
  match rdm eucl n A, rdm eucl n B with
  | Some u, Some v =>
      let u' := if spear then ranks u else u in let v' := if spear then ranks v else v in
      match corr u' v' with (c, vu, vv) =>
        if Qeq_bool vu 0 || Qeq_bool vv 0 then None
        else Some (if Qltb 0 c then 1 else if Qltb c 0 then -1 else 0, c * c / (vu * vv)) end
  | _, _ => None
  end.

Inductive quantity := QCka (A B : mat) | QMatch (e2 : Q) (A B : mat) | QSurd (c q : Q) | QKnn (k : nat) (A B : mat)
                    | QRsa (eucl spear : bool) (A B : mat).
Definition sqval (d : nat) (x : quantity) (v : Q) : Prop :=
  match x with
  | QCka A B => ~ hsic d (center d A) (center d A) == 0 /\ ~ hsic d (center d B) (center d B) == 0 /\ v == cka2 d A B
  | QMatch e2 A B => (0 < length A + length B)%nat /\ exists s, match_similarity d e2 A B s /\ v == s * s
  | QSurd c q => 0 <= c /\ 0 <= q /\ v == c * c * q
  | QKnn k A B => exists s, mutual_knn d k A B = Some s /\ v == s * s
  | QRsa e sp A B => exists sg q, rsa e sp d A B = Some (sg, q) /\ 0 <= sg /\ v == q  (* RSA >= 0 here *)
  end.
Inductive relop := OLe | OLt | OEq | OGe | OGt.
Definition cmp (o : relop) (a b : Q) : Prop :=
  match o with OLe => a <= b | OLt => a < b | OEq => a == b | OGe => b <= a | OGt => b < a end.
(* L o R, for quantities L, R >= 0, compared by their squares *)
Definition relation_claim (d : nat) (L : quantity) (o : relop) (R : quantity) : Prop :=
  exists vl vr, sqval d L vl /\ sqval d R vr /\ cmp o vl vr.

(* transforms of a representation (rows = neurons): c A; row i + s_i; new neuron j = sum_i T_ij z_i *)
Definition tr_scale (c : Q) (A : mat) : mat := map (map (fun x => c * x)) A.
Definition tr_shift (s : vec) (A : mat) : mat := map (fun p => map (fun x => x + snd p) (fst p)) (combine A s).
Definition tr_matrix (d : nat) (T : mat) (A : mat) : mat :=
  map (fun j => map (fun p => comb (map (fun i => at_ (row T i) j) (seq 0 (length A))) A p) (seq 0 d))
      (seq 0 (length (hd [] T))).

Inductive qwit := WNone | WMatch (X Y : list nat) (tr : list removal) (cx cy : list vec).
Definition nsum (X Y : list nat) : Q := inject_Z (Z.of_nat (length X + length Y)).
Definition qsq (d : nat) (x : quantity) (w : qwit) : option Q :=
  match x, w with
  | QCka A B, _ => match cka_parts d A B with (ha, hb, c2) =>
      if negb (Qeq_bool ha 0) && negb (Qeq_bool hb 0) then Some c2 else None end
  | QMatch e2 A B, WMatch X Y tr cx cy =>
      if check_max (check_within d e2) d e2 A B X Y tr cx cy && Nat.ltb 0 (length A + length B)
      then let s := nsum X Y / inject_Z (Z.of_nat (length A + length B)) in Some (s * s) else None
  | QSurd c q, _ => if Qle_bool 0 c && Qle_bool 0 q then Some (c * c * q) else None
  | QKnn k A B, _ => match mutual_knn d k A B with Some s => Some (s * s) | None => None end
  | QRsa e sp A B, _ => match rsa e sp d A B with Some (sg, q) => if Qle_bool 0 sg then Some q else None | None => None end
  | _, _ => None
  end.
Definition cmpb (o : relop) (a b : Q) : bool :=
  match o with OLe => Qle_bool a b | OLt => Qltb a b | OEq => Qeq_bool a b | OGe => Qle_bool b a | OGt => Qltb b a end.
Lemma cmpb_spec o a b : cmpb o a b = true <-> cmp o a b.
Proof. destruct o; simpl; rewrite ?Qle_bool_iff, ?Qeq_bool_iff, ?Qltb_spec; tauto. Qed.

Lemma Qnz_bool q : Qeq_bool q 0 = false <-> ~ q == 0.
Proof. split; intros H. intros Hq. apply Qeq_bool_iff in Hq. congruence.
  destruct (Qeq_bool q 0) eqn:E; auto. apply Qeq_bool_iff in E. contradiction. Qed.
Lemma inj_nat_nz k : (0 < k)%nat -> ~ inject_Z (Z.of_nat k) == 0.
Proof. intros H E. unfold Qeq in E. simpl in E. lia. Qed.
Lemma qsq_sound d x w v : qsq d x w = Some v -> sqval d x v.
Proof. destruct x as [A B|e2 A B|c q|k A B|e sp A B]; cbn [qsq sqval].
  - pose proof (cka_parts_spec d A B) as Hp. destruct (cka_parts d A B) as [[ha hb] c2]. destruct Hp as [E1 [E2 E3]].
    destruct (negb (Qeq_bool ha 0) && negb (Qeq_bool hb 0)) eqn:H; intros Hs; try discriminate; injection Hs; intros <-.
    apply andb_true_iff in H as [H1 H2]. apply negb_true_iff, Qnz_bool in H1, H2. rewrite <- E1, <- E2, E3. split; [|split]; auto; reflexivity.
  - destruct w as [|X Y tr cx cy]; try discriminate.
    destruct (check_max _ _ _ _ _ _ _ _ _ _ && _) eqn:H; intros Hs; try discriminate; injection Hs; intros <-.
    apply andb_true_iff in H as [H1 H2]. apply Nat.ltb_lt in H2. split; auto.
    set (n := inject_Z (Z.of_nat (length A + length B))).
    assert (Hn : ~ n == 0) by (apply inj_nat_nz; auto).
    exists (nsum X Y / n). split; [|reflexivity]. apply (similarity_true d e2 A B X Y tr cx cy). rewrite H1. simpl.
    unfold sim_eqb. apply Qeq_bool_iff. fold n. unfold nsum. field. exact Hn.
  - destruct (Qle_bool 0 c && Qle_bool 0 q) eqn:H; intros Hs; try discriminate; injection Hs; intros <-.
    apply andb_true_iff in H as [H1 H2]. apply Qle_bool_iff in H1, H2. split; auto. split; auto. reflexivity.
  - destruct (mutual_knn d k A B) as [s|]; intros Hs; try discriminate. injection Hs; intros <-. exists s. split; reflexivity.
  - destruct (rsa e sp d A B) as [[sg q]|]; intros Hs; try discriminate.
    destruct (Qle_bool 0 sg) eqn:H; try discriminate. injection Hs; intros <-. apply Qle_bool_iff in H.
    exists sg, q. split; [reflexivity|]. split; auto. reflexivity.
Qed.

Lemma NoDup_incl_eq_length (X X' : list nat) : NoDup X -> NoDup X' -> incl X X' -> incl X' X -> length X = length X'.
Proof. intros H1 H2 I1 I2. apply Nat.le_antisymm; apply NoDup_incl_length; auto. Qed.
Lemma sqval_unique d x v v' : sqval d x v -> sqval d x v' -> v == v'.
Proof. destruct x as [A B|e2 A B|c q|k A B|e sp A B]; cbn [sqval].
  - intros [_ [_ E]] [_ [_ E']]. rewrite E, E'. reflexivity.
  - intros [Hn [s [[X [Y [Hm [Hx [Hy Hs]]]]] E]]] [_ [s' [[X' [Y' [Hm' [Hx' [Hy' Hs']]]]] E']]].
    destruct (max_unique _ _ _ _ _ _ _ Hm Hm') as [I1 [I2 [I3 I4]]].
    rewrite (NoDup_incl_eq_length X X' Hx Hx' I1 I2), (NoDup_incl_eq_length Y Y' Hy Hy' I3 I4) in Hs.
    rewrite Hs in Hs'. set (n := inject_Z (Z.of_nat (length A + length B))) in *.
    assert (Hnz : ~ n == 0) by (apply inj_nat_nz; auto).
    assert (Ess : s == s').
    { apply (Qmult_inj_r _ _ n Hnz). exact Hs'. }
    rewrite E, E', Ess. reflexivity.
  - intros [_ [_ E]] [_ [_ E']]. rewrite E, E'. reflexivity.
  - intros [s [Hs E]] [s' [Hs' E']]. rewrite Hs in Hs'. injection Hs'; intros <-. rewrite E, E'. reflexivity.
  - intros [sg [q [Hs [_ E]]]] [sg' [q' [Hs' [_ E']]]]. rewrite Hs in Hs'. injection Hs'; intros <- <-.
    rewrite E, E'. reflexivity. Qed.

Definition relation_check (d : nat) (L : quantity) (wl : qwit) (o : relop) (R : quantity) (wr : qwit) : bool :=
  match qsq d L wl, qsq d R wr with Some a, Some b => cmpb o a b | _, _ => false end.
Definition relation_refute (d : nat) (L : quantity) (wl : qwit) (o : relop) (R : quantity) (wr : qwit) : bool :=
  match qsq d L wl, qsq d R wr with Some a, Some b => negb (cmpb o a b) | _, _ => false end.
Lemma relation_true d L wl o R wr : relation_check d L wl o R wr = true -> relation_claim d L o R.
Proof. unfold relation_check. destruct (qsq d L wl) eqn:E1, (qsq d R wr) eqn:E2; intros H; try discriminate.
  exists q, q0. split. apply (qsq_sound _ _ _ _ E1). split. apply (qsq_sound _ _ _ _ E2). apply cmpb_spec; auto. Qed.
Lemma cmp_compat o a a' b b' : a == a' -> b == b' -> cmp o a b -> cmp o a' b'.
Proof. intros Ha Hb. destruct o; simpl; rewrite Ha, Hb; auto. Qed.
Lemma relation_false d L wl o R wr : relation_refute d L wl o R wr = true -> ~ relation_claim d L o R.
Proof. unfold relation_refute. destruct (qsq d L wl) eqn:E1, (qsq d R wr) eqn:E2; intros H; try discriminate.
  intros [vl [vr [Hl [Hr Hc]]]]. apply negb_true_iff in H.
  pose proof (sqval_unique _ _ _ _ Hl (qsq_sound _ _ _ _ E1)) as U1. pose proof (sqval_unique _ _ _ _ Hr (qsq_sound _ _ _ _ E2)) as U2.
  pose proof (cmp_compat _ _ _ _ _ U1 U2 Hc) as Hc'. apply cmpb_spec in Hc'. congruence. Qed.
(* CKA of a representation constant over the data is undefined: no relation holds *)
Definition undefinedb (d : nat) (x : quantity) : bool :=
  match x with
  | QCka A B => match cka_parts d A B with (ha, hb, _) => Qeq_bool ha 0 || Qeq_bool hb 0 end
  | QKnn k A B => match mutual_knn d k A B with None => true | Some _ => false end
  | QRsa e sp A B => match rsa e sp d A B with None => true | Some _ => false end
  | _ => false end.
Lemma undefined_no_value d x v : undefinedb d x = true -> ~ sqval d x v.
Proof. destruct x as [A B| | |k A B|e sp A B]; cbn [undefinedb sqval]; try discriminate.
  - pose proof (cka_parts_spec d A B) as Hp.
    destruct (cka_parts d A B) as [[ha hb] c2]. destruct Hp as [E1 [E2 _]]. intros H [H1 [H2 _]].
    apply orb_true_iff in H as [H|H]; apply Qeq_bool_iff in H; [rewrite E1 in H | rewrite E2 in H]; auto.
  - destruct (mutual_knn d k A B); intros H [s [Hs _]]; discriminate.
  - destruct (rsa e sp d A B); intros H [sg [q [Hs _]]]; discriminate. Qed.
Lemma relation_undefined d L o R : undefinedb d L || undefinedb d R = true -> ~ relation_claim d L o R.
Proof. intros H [vl [vr [Hl [Hr _]]]]. apply orb_true_iff in H as [H|H].
  apply (undefined_no_value _ _ _ H Hl). apply (undefined_no_value _ _ _ H Hr). Qed.

(* --- the set of all simple matches (claim kind simple_matches) ---
   Statement (trusted, like section 1): `canon n X` writes the neurons of X below n in increasing
   order, a set written canonically; `simple_matches_claim d e2 A B L` says every listed pair is a
   simple match, and every simple match (written canonically) is listed.  Proof: each listed pair
   by `simple_true`; every other pair of subsets (Coq enumerates all of them, `sublists`) refuted by
   a witness of `nsw_ok` (empty, not a match, or covered by matches strictly inside). *)
Definition canon (n : nat) (X : list nat) : list nat := filter (fun i => memb i X) (seq 0 n).
Definition simple_matches_claim (d : nat) (e2 : Q) (A B : mat) (L : list (list nat * list nat)) : Prop :=
  (forall X Y, In (X, Y) L -> simple_match d e2 A B X Y) /\
  forall X0 Y0, simple_match d e2 A B (canon (length A) X0) (canon (length B) Y0) ->
                In (canon (length A) X0, canon (length B) Y0) L.

Fixpoint sublists (l : list nat) : list (list nat) :=
  match l with [] => [[]] | a :: t => let s := sublists t in map (cons a) s ++ s end.
Lemma filter_sublists l X : In (filter (fun i => memb i X) l) (sublists l).
Proof. induction l as [|a l IH]; simpl. auto. destruct (memb a X); apply in_app_iff; [left; apply in_map|right]; auto. Qed.
Lemma list_eqb_refl X : list_eqb X X = true.
Proof. induction X; simpl; auto. rewrite Nat.eqb_refl. auto. Qed.
Definition pair_eqb (p q : list nat * list nat) : bool := list_eqb (fst p) (fst q) && list_eqb (snd p) (snd q).
Lemma pair_eqb_eq p q : pair_eqb p q = true -> p = q.
Proof. destruct p, q. unfold pair_eqb. simpl. intros H. apply andb_true_iff in H as [H1 H2].
  apply list_eqb_eq in H1, H2. subst. auto. Qed.
Lemma pair_eqb_refl p : pair_eqb p p = true.
Proof. destruct p. unfold pair_eqb. simpl. rewrite !list_eqb_refl. auto. Qed.

Inductive nsw := NEmpty | NFail (r : removal) | NParts (ps : list (list nat * list nat * list vec * list vec)).
Definition nsw_ok (d : nat) (e2 : Q) (A B : mat) (X Y : list nat) (w : nsw) : bool :=
  match w with
  | NEmpty => Nat.eqb (length X + length Y) 0
  | NFail r => check_failure d e2 A B X Y r
  | NParts ps => check_parts d e2 A B X Y ps
  end.
Lemma nsw_sound d e2 A B X Y w : nsw_ok d e2 A B X Y w = true -> ~ simple_match d e2 A B X Y.
Proof. destruct w as [|r|ps]; simpl; intros H.
  - apply Nat.eqb_eq in H. destruct X, Y; simpl in H; try lia. apply simple_empty.
  - apply (simple_not_match _ _ _ _ _ _ _ H).
  - apply (simple_parts _ _ _ _ _ _ _ H). Qed.

Definition swit := (list vec * list vec * member * list (member * list removal))%type.
Definition check_simple_matches (d : nat) (e2 : Q) (A B : mat) (L : list (list nat * list nat))
           (yes : list swit) (no : list (list nat * list nat * nsw)) : bool :=
  Nat.eqb (length L) (length yes) &&
  forallb (fun pw => match pw with ((X, Y), (cx, cy, v, ex)) => check_simple_true d e2 A B X Y cx cy v ex end)
          (combine L yes) &&
  forallb (fun p => existsb (pair_eqb p) L ||
                    existsb (fun e => match e with (X, Y, w) => pair_eqb (X, Y) p && nsw_ok d e2 A B X Y w end) no)
          (list_prod (sublists (seq 0 (length A))) (sublists (seq 0 (length B)))).

Lemma in_combine_l {T U} (L : list T) (M : list U) x : length L = length M -> In x L -> exists y, In (x, y) (combine L M).
Proof. revert M. induction L as [|a L IH]; intros [|b M] Hl Hi; simpl in *; try lia; try contradiction.
  destruct Hi as [<-|Hi]. exists b; auto. destruct (IH M ltac:(lia) Hi) as [y Hy]. exists y; auto. Qed.

Lemma simple_matches_true d e2 A B L yes no :
  check_simple_matches d e2 A B L yes no = true -> simple_matches_claim d e2 A B L.
Proof. unfold check_simple_matches. intros H. apply andb_true_iff in H as [H Hall]. apply andb_true_iff in H as [Hn Hy].
  apply Nat.eqb_eq in Hn. rewrite forallb_forall in Hy, Hall. split.
  - intros X Y Hin. destruct (in_combine_l L yes (X, Y) Hn Hin) as [[[[cx cy] v] ex] Hc].
    apply (simple_true _ _ _ _ _ _ cx cy v ex). apply (Hy _ Hc).
  - intros X0 Y0 Hs. set (X := canon (length A) X0) in *. set (Y := canon (length B) Y0) in *.
    assert (Hp : In (X, Y) (list_prod (sublists (seq 0 (length A))) (sublists (seq 0 (length B)))))
      by (apply in_prod; apply filter_sublists).
    specialize (Hall _ Hp). apply orb_true_iff in Hall as [Hl|Hw].
    + apply existsb_exists in Hl as [q [Hq E]]. apply pair_eqb_eq in E. subst q. exact Hq.
    + apply existsb_exists in Hw as [[[X' Y'] w] [_ E]]. apply andb_true_iff in E as [E Hw].
      apply pair_eqb_eq in E. injection E; intros -> ->. exfalso. apply (nsw_sound _ _ _ _ _ _ _ Hw Hs). Qed.
(* refuted: a listed pair that is not simple, or a simple match (written canonically) not listed *)
Lemma simple_matches_listed d e2 A B L X Y w :
  existsb (pair_eqb (X, Y)) L && nsw_ok d e2 A B X Y w = true -> ~ simple_matches_claim d e2 A B L.
Proof. intros H [H1 _]. apply andb_true_iff in H as [Hl Hw]. apply existsb_exists in Hl as [q [Hq E]].
  apply pair_eqb_eq in E. subst q. apply (nsw_sound _ _ _ _ _ _ _ Hw). apply H1; auto. Qed.
Lemma simple_matches_missing d e2 A B L X Y cx cy v ex :
  pair_eqb (canon (length A) X, canon (length B) Y) (X, Y) && negb (existsb (pair_eqb (X, Y)) L) &&
  check_simple_true d e2 A B X Y cx cy v ex = true -> ~ simple_matches_claim d e2 A B L.
Proof. intros H [_ H2]. apply andb_true_iff in H as [H Hs]. apply andb_true_iff in H as [Hc Hn].
  apply pair_eqb_eq in Hc. injection Hc; intros Ey Ex. apply simple_true in Hs.
  rewrite <- Ex, <- Ey in Hs. specialize (H2 X Y Hs). rewrite Ex, Ey in H2.
  apply negb_true_iff in Hn. assert (existsb (pair_eqb (X, Y)) L = true)
    by (apply existsb_exists; exists (X, Y); split; auto; apply pair_eqb_refl). congruence. Qed.

(* --- invariance under a whole family of transforms (claim kind invariance, transform family) ---
   Statement (trusted): a transform is c A, a shift of each row, or A -> T^T A (tr_matrix); for a
   representation of n neurons, the families are: orthogonal n x n matrices, permutation matrices
   (orthogonal with 0/1 entries), scalings c <> 0, shifts of n entries, invertible n x n matrices.
   `invariant_over d fam M A B`: M (T A, B) = M (A, B) for every member T.  Refuted by one member
   (checked to be one) whose transform changes the value (or makes it undefined). *)
Inductive transform := TScale (c : Q) | TShift (s : vec) | TMat (T : mat).
Definition apply_tr (d : nat) (t : transform) (A : mat) : mat :=
  match t with TScale c => tr_scale c A | TShift s => tr_shift s A | TMat T => tr_matrix d T A end.
Inductive family := FOrthogonal | FPermutation | FScaling | FTranslation | FInvertible.
Definition square_mat (n : nat) (T : mat) : Prop := length T = n /\ Forall (fun r => length r = n) T.
Definition in_family (n : nat) (f : family) (t : transform) : Prop :=
  match f, t with
  | FOrthogonal, TMat T => square_mat n T /\ orthonormal n T
  | FPermutation, TMat T => square_mat n T /\ orthonormal n T /\ Forall (Forall (fun x => x == 0 \/ x == 1)) T
  | FScaling, TScale c => ~ c == 0
  | FTranslation, TShift s => length s = n
  | FInvertible, TMat T => square_mat n T /\ exists N, is_inverse n T N /\ is_inverse n N T
  | _, _ => False
  end.
Definition invariant_over (d : nat) (f : family) (M : mat -> mat -> quantity) (A B : mat) : Prop :=
  forall t, in_family (length A) f t -> relation_claim d (M (apply_tr d t A) B) OEq (M A B).

Definition square_matb (n : nat) (T : mat) : bool := Nat.eqb (length T) n && forallb (fun r => Nat.eqb (length r) n) T.
Lemma square_matb_sound n T : square_matb n T = true -> square_mat n T.
Proof. unfold square_matb. intros H. apply andb_true_iff in H as [H1 H2]. apply Nat.eqb_eq in H1. split; auto.
  apply Forall_forall. rewrite forallb_forall in H2. intros r Hr. apply Nat.eqb_eq, H2, Hr. Qed.
Lemma orthonormalb_sound n T : orthonormalb n T = true -> orthonormal n T.
Proof. unfold orthonormalb. intros H i k Hi Hk. rewrite forallb_forall in H.
  specialize (H i ltac:(apply in_seq; lia)). rewrite forallb_forall in H.
  specialize (H k ltac:(apply in_seq; lia)). apply andb_true_iff in H as [E1 E2].
  split; apply Qeq_bool_iff; auto. Qed.
Definition in_familyb (n : nat) (f : family) (t : transform) (N : mat) : bool :=
  match f, t with
  | FOrthogonal, TMat T => square_matb n T && orthonormalb n T
  | FPermutation, TMat T => square_matb n T && orthonormalb n T &&
                            forallb (forallb (fun x => Qeq_bool x 0 || Qeq_bool x 1)) T
  | FScaling, TScale c => negb (Qeq_bool c 0)
  | FTranslation, TShift s => Nat.eqb (length s) n
  | FInvertible, TMat T => square_matb n T && is_inverseb n T N && is_inverseb n N T
  | _, _ => false
  end.
Lemma in_familyb_sound n f t N : in_familyb n f t N = true -> in_family n f t.
Proof. destruct f, t as [c|s|T]; cbn [in_familyb in_family]; intros H; try discriminate.
  - apply andb_true_iff in H as [H1 H2]. split. apply square_matb_sound; auto. apply orthonormalb_sound; auto.
  - apply andb_true_iff in H as [H H3]. apply andb_true_iff in H as [H1 H2].
    split. apply square_matb_sound; auto. split. apply orthonormalb_sound; auto.
    apply Forall_forall. intros r Hr. apply Forall_forall. intros x Hx.
    rewrite forallb_forall in H3. specialize (H3 r Hr). rewrite forallb_forall in H3. specialize (H3 x Hx).
    apply orb_true_iff in H3 as [E|E]; apply Qeq_bool_iff in E; auto.
  - apply negb_true_iff, Qnz_bool in H. exact H.
  - apply Nat.eqb_eq; auto.
  - apply andb_true_iff in H as [H H3]. apply andb_true_iff in H as [H1 H2].
    split. apply square_matb_sound; auto. exists N. split; apply is_inverseb_sound; auto. Qed.

Lemma family_false d f M A B t N wa wb :
  in_familyb (length A) f t N && relation_refute d (M (apply_tr d t A) B) wa OEq (M A B) wb = true ->
  ~ invariant_over d f M A B.
Proof. intros H Hinv. apply andb_true_iff in H as [Hf Hr]. apply (relation_false _ _ _ _ _ _ Hr).
  apply Hinv. apply (in_familyb_sound _ _ _ N Hf). Qed.
Lemma family_undefined d f M A B t N :
  in_familyb (length A) f t N && (undefinedb d (M (apply_tr d t A) B) || undefinedb d (M A B)) = true ->
  ~ invariant_over d f M A B.
Proof. intros H Hinv. apply andb_true_iff in H as [Hf Hu]. apply (relation_undefined _ _ OEq _ Hu).
  apply Hinv. apply (in_familyb_sound _ _ _ N Hf). Qed.

(* --- the triangle inequality of a distance 1 - M (claim kind triangle), for rational values ---
   Statement (trusted): the measures M(X, Y), M(Y, Z), M(X, Z) have the rational values a, b, c
   (`qvalue`: a >= 0 and a^2 is the quantity's square), and the triangle inequality of 1 - M (all
   three slacks d_i + d_j - d_k >= 0), or with eq = true the equality d(X, Z) = d(X, Y) + d(Y, Z),
   holds exactly when v = true.  Irrational values (most CKA values) are not stated. *)
Definition qvalue (d : nat) (x : quantity) (a : Q) : Prop := 0 <= a /\ sqval d x (a * a).
Definition tri_slacks (a b c : Q) : list Q :=
  [(1 - a) + (1 - b) - (1 - c); (1 - a) + (1 - c) - (1 - b); (1 - b) + (1 - c) - (1 - a)].
Definition triangle_claim (d : nat) (xy yz xz : quantity) (eq v : bool) : Prop :=
  exists a b c, qvalue d xy a /\ qvalue d yz b /\ qvalue d xz c /\
    ((if eq then (1 - a) + (1 - b) - (1 - c) == 0 else Forall (fun s => 0 <= s) (tri_slacks a b c)) <-> v = true).

Lemma sqval_compat d x v v' : sqval d x v -> v == v' -> sqval d x v'.
Proof. intros H E. destruct x; cbn [sqval] in *.
  - destruct H as [H1 [H2 H3]]. split; auto. split; auto. rewrite <- E; auto.
  - destruct H as [H1 [s [H2 H3]]]. split; auto. exists s. split; auto. rewrite <- E; auto.
  - destruct H as [H1 [H2 H3]]. split; auto. split; auto. rewrite <- E; auto.
  - destruct H as [s [H1 H2]]. exists s. split; auto. rewrite <- E; auto.
  - destruct H as [sg [q [H1 [H2 H3]]]]. exists sg, q. split; auto. split; auto. rewrite <- E; auto. Qed.
Definition qvalueb (d : nat) (x : quantity) (w : qwit) (a : Q) : bool :=
  Qle_bool 0 a && match qsq d x w with Some v => Qeq_bool v (a * a) | None => false end.
Lemma qvalueb_sound d x w a : qvalueb d x w a = true -> qvalue d x a.
Proof. unfold qvalueb. intros H. apply andb_true_iff in H as [H1 H2]. apply Qle_bool_iff in H1. split; auto.
  destruct (qsq d x w) eqn:E; try discriminate. apply Qeq_bool_iff in H2.
  apply (sqval_compat _ _ _ _ (qsq_sound _ _ _ _ E) H2). Qed.
Definition tri_holdsb (eq : bool) (a b c : Q) : bool :=
  if eq then Qeq_bool ((1 - a) + (1 - b) - (1 - c)) 0 else forallb (fun s => Qle_bool 0 s) (tri_slacks a b c).
Lemma tri_holdsb_spec eq a b c : tri_holdsb eq a b c = true <->
  (if eq then (1 - a) + (1 - b) - (1 - c) == 0 else Forall (fun s => 0 <= s) (tri_slacks a b c)).
Proof. unfold tri_holdsb. destruct eq. apply Qeq_bool_iff. rewrite forallb_forall, Forall_forall.
  split; intros H s Hs; apply Qle_bool_iff, H, Hs. Qed.
Definition check_triangle (d : nat) (xy : quantity) (wxy : qwit) (yz : quantity) (wyz : qwit) (xz : quantity) (wxz : qwit)
           (eq v : bool) (a b c : Q) : bool :=
  qvalueb d xy wxy a && qvalueb d yz wyz b && qvalueb d xz wxz c && Bool.eqb (tri_holdsb eq a b c) v.
Lemma triangle_true d xy wxy yz wyz xz wxz eq v a b c :
  check_triangle d xy wxy yz wyz xz wxz eq v a b c = true -> triangle_claim d xy yz xz eq v.
Proof. unfold check_triangle. intros H. apply andb_true_iff in H as [H H4]. apply andb_true_iff in H as [H H3].
  apply andb_true_iff in H as [H1 H2]. exists a, b, c.
  split. apply (qvalueb_sound _ _ _ _ H1). split. apply (qvalueb_sound _ _ _ _ H2). split. apply (qvalueb_sound _ _ _ _ H3).
  apply Bool.eqb_prop in H4. rewrite <- tri_holdsb_spec, H4. tauto. Qed.

(* --- invariance over a family, verdict true: CKA under every isotropic scaling c <> 0 ---
   center (c A) = c (center A) entrywise, so hsic scales by c^2 on each side it appears and cka2
   does not change (CKA defined on A and B: then also on c A). *)
Lemma row_map (f : vec -> vec) A i : f [] = [] -> row (map f A) i = f (row A i).
Proof. intros H. unfold row. revert i. induction A as [|a A IH]; intros [|i]; simpl; auto; rewrite H; auto. Qed.
Lemma at_center_scale c m m' r j : m' == c * m ->
  at_ (map (fun x => x - m') (map (fun x => c * x) r)) j == c * at_ (map (fun x => x - m) r) j.
Proof. intros E. unfold at_. revert j. induction r as [|x r IH]; intros [|j]; simpl; try ring. rewrite E; ring. apply IH. Qed.
Lemma at_map_scale c r j : at_ (map (fun x => c * x) r) j == c * at_ r j.
Proof. unfold at_. revert j. induction r as [|x r IH]; intros [|j]; simpl; try ring. apply IH. Qed.
Lemma center_scale_at c d A i j :
  at_ (row (center d (tr_scale c A)) i) j == c * at_ (row (center d A) i) j.
Proof. unfold center, tr_scale. rewrite !row_map by reflexivity.
  apply at_center_scale. rewrite (sumn_ext d _ (fun k => c * at_ (row A i) k)) by (intros; apply at_map_scale).
  rewrite sumn_scale. unfold Qdiv. ring. Qed.
Lemma dot_scale_l c d A i v : dotv d (row (center d (tr_scale c A)) i) v == c * dotv d (row (center d A) i) v.
Proof. unfold dotv. rewrite <- sumn_scale. apply sumn_ext. intros j _. rewrite center_scale_at. ring. Qed.
Lemma dot_scale_r c d A i u : dotv d u (row (center d (tr_scale c A)) i) == c * dotv d u (row (center d A) i).
Proof. unfold dotv. rewrite <- sumn_scale. apply sumn_ext. intros j _. rewrite center_scale_at. ring. Qed.
Lemma center_scale_length c d A : length (center d (tr_scale c A)) = length (center d A).
Proof. unfold center, tr_scale. rewrite !map_length. reflexivity. Qed.
Lemma hsic_scale_l c d A S : hsic d (center d (tr_scale c A)) S == c * c * hsic d (center d A) S.
Proof. unfold hsic. rewrite center_scale_length, <- sumn_scale. apply sumn_ext. intros i _.
  rewrite <- sumn_scale. apply sumn_ext. intros j _. rewrite dot_scale_l. ring. Qed.
Lemma hsic_scale_r c d A S : hsic d S (center d (tr_scale c A)) == c * c * hsic d S (center d A).
Proof. unfold hsic. rewrite center_scale_length, <- sumn_scale. apply sumn_ext. intros i _.
  rewrite <- sumn_scale. apply sumn_ext. intros j _. rewrite dot_scale_r. ring. Qed.
Lemma cc_nz c h : ~ c == 0 -> ~ h == 0 -> ~ c * c * h == 0.
Proof. intros Hc Hh E. apply Qmult_integral in E as [E|E]; [apply Qmult_integral in E as [E|E]|]; contradiction. Qed.
Lemma cka_defined d A B : undefinedb d (QCka A B) = false ->
  ~ hsic d (center d A) (center d A) == 0 /\ ~ hsic d (center d B) (center d B) == 0.
Proof. cbn [undefinedb]. pose proof (cka_parts_spec d A B) as Hp. destruct (cka_parts d A B) as [[ha hb] c2].
  destruct Hp as [E1 [E2 _]]. intros H. apply orb_false_iff in H as [H1 H2]. apply Qnz_bool in H1, H2.
  rewrite E1 in H1. rewrite E2 in H2. auto. Qed.
Lemma cka_scaling_invariant d A B : undefinedb d (QCka A B) = false -> invariant_over d FScaling QCka A B.
Proof. intros H t Hf. destruct t as [c| |]; cbn [in_family] in Hf; try contradiction. cbn [apply_tr].
  destruct (cka_defined _ _ _ H) as [H1 H2].
  assert (HA : ~ hsic d (center d (tr_scale c A)) (center d (tr_scale c A)) == 0)
    by (rewrite hsic_scale_l, hsic_scale_r; apply cc_nz; auto; apply cc_nz; auto).
  exists (cka2 d (tr_scale c A) B), (cka2 d A B). cbn [sqval cmp]. split; [|split].
  - split; [exact HA|]. split; [exact H2|reflexivity].
  - split; [exact H1|]. split; [exact H2|reflexivity].
  - unfold cka2. rewrite hsic_scale_l, hsic_scale_l, hsic_scale_r. field. repeat split; auto. Qed.

(* --- CKA under every translation (a shift of each neuron's row; the rows have one entry per point) ---
   centering removes the shift: center (A + s) = center A entrywise. *)
Lemma row_shift s A i : (i < length A)%nat -> length s = length A ->
  row (tr_shift s A) i = map (fun x => x + at_ s i) (row A i).
Proof. unfold tr_shift, row, at_. revert s i. induction A as [|a A IH]; intros [|b s] [|i] Hi Hl; simpl in *; try lia; auto.
  apply IH; lia. Qed.
Lemma at_map_shift t r j : (j < length r)%nat -> at_ (map (fun x => x + t) r) j == at_ r j + t.
Proof. unfold at_. revert j. induction r as [|x r IH]; intros [|j] H; simpl in *; try lia; try reflexivity. apply IH; lia. Qed.
Lemma sumn_const n t : sumn n (fun _ => t) == inject_Z (Z.of_nat n) * t.
Proof. induction n as [|n IH]. simpl. ring. rewrite sumn_S, IH, Nat2Z.inj_succ. unfold Z.succ. rewrite inject_Z_plus. ring. Qed.
Lemma at_center_shift t m m' r j : m' == m + t ->
  at_ (map (fun x => x - m') (map (fun x => x + t) r)) j == at_ (map (fun x => x - m) r) j.
Proof. intros E. unfold at_. revert j. induction r as [|x r IH]; intros [|j]; simpl; try reflexivity. rewrite E; ring. apply IH. Qed.
Lemma center_shift_at d s A i j : (i < length A)%nat -> length s = length A -> length (row A i) = d ->
  at_ (row (center d (tr_shift s A)) i) j == at_ (row (center d A) i) j.
Proof. intros Hi Hs Hr. unfold center. rewrite !row_map by reflexivity. rewrite row_shift by auto.
  destruct d as [|d].
  - destruct (row A i); simpl in Hr; try lia. reflexivity.
  - apply at_center_shift. rewrite (sumn_ext (S d) _ (fun k => at_ (row A i) k + at_ s i))
      by (intros k Hk; apply at_map_shift; lia).
    rewrite sumn_plus, sumn_const. field. intros E. unfold Qeq in E. simpl in E. lia. Qed.
Lemma rows_length d A i : forallb (fun r => Nat.eqb (length r) d) A = true -> (i < length A)%nat -> length (row A i) = d.
Proof. intros H Hi. rewrite forallb_forall in H. apply Nat.eqb_eq, H, nth_In, Hi. Qed.
Lemma center_shift_length d s A : length s = length A -> length (center d (tr_shift s A)) = length (center d A).
Proof. intros H. unfold center, tr_shift. rewrite !map_length, combine_length, H. lia. Qed.
Lemma hsic_shift_l d s A S : forallb (fun r => Nat.eqb (length r) d) A = true -> length s = length A ->
  hsic d (center d (tr_shift s A)) S == hsic d (center d A) S.
Proof. intros H Hs. unfold hsic. rewrite center_shift_length by auto. apply sumn_ext. intros i Hi.
  unfold center in Hi. rewrite map_length in Hi. apply sumn_ext. intros j _.
  assert (E : dotv d (row (center d (tr_shift s A)) i) (row S j) == dotv d (row (center d A) i) (row S j))
    by (unfold dotv; apply sumn_ext; intros k _; rewrite center_shift_at by (auto; apply rows_length; auto); reflexivity).
  rewrite E. reflexivity. Qed.
Lemma hsic_shift_r d s A S : forallb (fun r => Nat.eqb (length r) d) A = true -> length s = length A ->
  hsic d S (center d (tr_shift s A)) == hsic d S (center d A).
Proof. intros H Hs. unfold hsic. rewrite center_shift_length by auto. apply sumn_ext. intros i _.
  apply sumn_ext. intros j Hj. unfold center in Hj. rewrite map_length in Hj.
  assert (E : dotv d (row S i) (row (center d (tr_shift s A)) j) == dotv d (row S i) (row (center d A) j))
    by (unfold dotv; apply sumn_ext; intros k _; rewrite center_shift_at by (auto; apply rows_length; auto); reflexivity).
  rewrite E. reflexivity. Qed.
Lemma cka_translation_invariant d A B :
  undefinedb d (QCka A B) = false -> forallb (fun r => Nat.eqb (length r) d) A = true -> invariant_over d FTranslation QCka A B.
Proof. intros H Hr t Hf. destruct t as [|s|]; cbn [in_family] in Hf; try contradiction. cbn [apply_tr].
  destruct (cka_defined _ _ _ H) as [H1 H2].
  exists (cka2 d (tr_shift s A) B), (cka2 d A B). cbn [sqval cmp]. split; [|split].
  - rewrite hsic_shift_l, hsic_shift_r by auto. split; [exact H1|]. split; [exact H2|reflexivity].
  - split; [exact H1|]. split; [exact H2|reflexivity].
  - unfold cka2. rewrite hsic_shift_l, hsic_shift_l, hsic_shift_r by auto. reflexivity. Qed.

(* --- the triangle inequality of 1 - M and of arccos M for irrational values (claim kind triangle) ---
   Statement (trusted): sqrt_sum_le P Q R S says sqrt P + sqrt Q <= sqrt R + sqrt S, written over Q as
   its Dedekind-cut meaning: every rational lower bound of sqrt P plus one of sqrt Q is at most every
   rational upper bound of sqrt R plus one of sqrt S (rationals are dense, so the two agree). *)
Definition sqrt_sum_le (P Q R S : Q) : Prop :=
  forall p q r s, 0 <= p -> 0 <= q -> 0 <= r -> 0 <= s ->
    p * p <= P -> q * q <= Q -> R <= r * r -> S <= s * s -> p + q <= r + s.

Lemma mul_le_l z x y : 0 <= z -> x <= y -> z * x <= z * y.
Proof. intros Hz H. rewrite (Qmult_comm z x), (Qmult_comm z y). apply Qmult_le_compat_r; auto. Qed.
Lemma sq_le x y : 0 <= y -> x * x <= y * y -> x <= y.
Proof. intros Hy H. destruct (Qlt_le_dec y x) as [Hl|Hl]; auto. exfalso. nra. Qed.

(* the exact decision: squaring twice (all four >= 0) *)
Definition ssl_b (P Q R S : Q) : bool :=
  let H := (R + S - P - Q) / 2 in let X := P * Q in let Y := R * S in
  Qle_bool 0 P && Qle_bool 0 Q && Qle_bool 0 R && Qle_bool 0 S &&
  (if Qle_bool 0 H then let E := X - H * H - Y in Qle_bool E 0 || Qle_bool (E * E) (4 * H * H * Y)
   else let F := Y - X - H * H in Qle_bool 0 F && Qle_bool (4 * H * H * X) (F * F)).

Lemma ssl_step X Y H x y : 0 <= x -> 0 <= y -> x * x <= X -> Y <= y * y -> 0 <= Y ->
  (if Qle_bool 0 H then let E := X - H * H - Y in Qle_bool E 0 || Qle_bool (E * E) (4 * H * H * Y)
   else let F := Y - X - H * H in Qle_bool 0 F && Qle_bool (4 * H * H * X) (F * F)) = true ->
  x <= H + y.
Proof. intros Hx Hy HX HY HY0. cbv zeta. destruct (Qle_bool 0 H) eqn:Eh.
  - apply Qle_bool_iff in Eh. intros C. apply orb_true_iff in C.
    assert (Hk : X - H * H - Y <= 2 * H * y).
    { destruct C as [C|C]; apply Qle_bool_iff in C. nra.
      apply sq_le. nra. assert (H * H * Y <= H * H * (y * y)) by (apply mul_le_l; nra). nra. }
    apply sq_le. lra. nra.
  - assert (Hn : H < 0). { destruct (Qlt_le_dec H 0); auto. apply Qle_bool_iff in q. congruence. }
    intros C. apply andb_true_iff in C as [C1 C2]. apply Qle_bool_iff in C1, C2.
    assert (Hk : - 2 * H * x <= Y - X - H * H).
    { apply sq_le. auto. assert (H * H * (x * x) <= H * H * X) by (apply mul_le_l; nra). nra. }
    assert (x - H <= y). { apply sq_le. auto. nra. } lra. Qed.

Lemma ssl_b_sound P Q R S : ssl_b P Q R S = true -> sqrt_sum_le P Q R S.
Proof. unfold ssl_b. intros Hb p q r s Hp Hq Hr Hs HP HQ HR HS.
  apply andb_true_iff in Hb as [Hb Hc]. apply andb_true_iff in Hb as [Hb HS0]. apply andb_true_iff in Hb as [Hb HR0].
  apply andb_true_iff in Hb as [HP0 HQ0]. apply Qle_bool_iff in HP0, HQ0, HR0, HS0.
  assert (Hpq : (p * q) * (p * q) <= P * Q).
  { setoid_replace ((p * q) * (p * q)) with ((p * p) * (q * q)) by ring.
    apply Qle_trans with (P * (q * q)). apply Qmult_le_compat_r; nra. apply mul_le_l; nra. }
  assert (Hrs : R * S <= (r * s) * (r * s)).
  { setoid_replace ((r * s) * (r * s)) with ((r * r) * (s * s)) by ring.
    apply Qle_trans with ((r * r) * S). apply Qmult_le_compat_r; nra. apply mul_le_l; nra. }
  pose proof (ssl_step (P * Q) (R * S) ((R + S - P - Q) / 2) (p * q) (r * s)) as K.
  cbv zeta in Hc, K.
  assert (p * q <= (R + S - P - Q) / 2 + r * s).
  { apply K; [apply Qmult_le_0_compat; auto|apply Qmult_le_0_compat; auto|exact Hpq|exact Hrs|apply Qmult_le_0_compat; auto|exact Hc]. }
  assert (E1 : (p + q) * (p + q) == p * p + q * q + 2 * (p * q)) by ring.
  assert (E2 : (r + s) * (r + s) == r * r + s * s + 2 * (r * s)) by ring.
  assert (EH : 2 * ((R + S - P - Q) / 2) == R + S - P - Q) by field.
  set (h := (R + S - P - Q) / 2) in *.
  apply sq_le. lra. rewrite E1, E2. lra. Qed.

(* refuted by one instance: rational brackets p, q below sqrt P, sqrt Q and r, s above sqrt R, sqrt S with r + s < p + q *)
Definition ssl_gt_b (P1 P2 R1 R2 : Q) (w : Q * Q * Q * Q) : bool :=
  match w with (p, q, r, s) =>
    Qle_bool 0 p && Qle_bool 0 q && Qle_bool 0 r && Qle_bool 0 s &&
    Qle_bool (p * p) P1 && Qle_bool (q * q) P2 && Qle_bool R1 (r * r) && Qle_bool R2 (s * s) && Qltb (r + s) (p + q) end.
Lemma ssl_gt_b_sound P1 P2 R1 R2 w : ssl_gt_b P1 P2 R1 R2 w = true -> ~ sqrt_sum_le P1 P2 R1 R2.
Proof. destruct w as [[[p q] r] s]. unfold ssl_gt_b. rewrite !andb_true_iff, !Qle_bool_iff, Qltb_spec.
  intros [[[[[[[[Hp Hq] Hr] Hs] HP] HQ] HR] HS] Hlt] K. specialize (K p q r s Hp Hq Hr Hs HP HQ HR HS). lra. Qed.

(* Statement (trusted), continued: the quantities M(X, Y), M(Y, Z), M(X, Z) have values a, b, c in
   [0, 1] given by their squares A, B, C (`sqval`), and the triangle inequality of the distance (all
   three slacks d_i + d_j - d_k >= 0), or with eq = true the equality d(X, Z) = d(X, Y) + d(Y, Z),
   holds exactly when v = true.  `dsum_ge f A B C` says d(a) + d(b) >= d(c), `dsum_le` says <=:
   for 1 - M, a + b <= 1 + c (and 1 + c <= a + b); for arccos M it is the textbook equivalence (T):
   with alpha = arccos a etc. in [0, pi/2], alpha + beta lies in [0, pi] where cos decreases, and
   cos(alpha + beta) = a b - sqrt(1 - a^2) sqrt(1 - b^2), so alpha + beta >= gamma iff
   sqrt(A B) <= sqrt((1 - A)(1 - B)) + sqrt C (and <= iff the reverse). *)
Inductive tform := TOneMinus | TArccos.
Definition dsum_ge (f : tform) (A B C : Q) : Q * Q * Q * Q :=
  match f with TOneMinus => (A, B, 1, C) | TArccos => (A * B, 0, (1 - A) * (1 - B), C) end.
Definition dsum_le (f : tform) (A B C : Q) : Q * Q * Q * Q :=
  match f with TOneMinus => (1, C, A, B) | TArccos => ((1 - A) * (1 - B), C, A * B, 0) end.
Definition ssl4 (t : Q * Q * Q * Q) : Prop := match t with (P, P', R, R') => sqrt_sum_le P P' R R' end.
Definition surd_tri_conds (f : tform) (eq : bool) (A B C : Q) : list (Q * Q * Q * Q) :=
  if eq then [dsum_ge f A B C; dsum_le f A B C] else [dsum_ge f A B C; dsum_ge f A C B; dsum_ge f B C A].
Definition unit_q (x : Q) : Prop := 0 <= x /\ x <= 1.
Definition surd_triangle_claim (d : nat) (f : tform) (xy yz xz : quantity) (eq v : bool) : Prop :=
  exists A B C, sqval d xy A /\ sqval d yz B /\ sqval d xz C /\ unit_q A /\ unit_q B /\ unit_q C /\
    (Forall ssl4 (surd_tri_conds f eq A B C) <-> v = true).

(* the check: the squares computed (`qsq`), every condition decided exactly (`ssl_b`) for v = true;
   for v = false one condition (its index k) refuted by rational brackets (`ssl_gt_b`) *)
Definition ssl4_b (t : Q * Q * Q * Q) : bool := match t with (P, P', R, R') => ssl_b P P' R R' end.
Definition unit_b (x : Q) : bool := Qle_bool 0 x && Qle_bool x 1.
Definition check_surd_triangle (d : nat) (f : tform) (xy : quantity) (wxy : qwit) (yz : quantity) (wyz : qwit)
           (xz : quantity) (wxz : qwit) (eq v : bool) (k : nat) (w : Q * Q * Q * Q) : bool :=
  match qsq d xy wxy, qsq d yz wyz, qsq d xz wxz with
  | Some A, Some B, Some C =>
      unit_b A && unit_b B && unit_b C &&
      let cs := surd_tri_conds f eq A B C in
      if v then forallb ssl4_b cs
      else Nat.ltb k (length cs) && match nth k cs (0, 0, 0, 0) with (P, P', R, R') => ssl_gt_b P P' R R' w end
  | _, _, _ => false
  end.
Lemma unit_b_sound x : unit_b x = true -> unit_q x.
Proof. unfold unit_b, unit_q. rewrite andb_true_iff, !Qle_bool_iff. tauto. Qed.
Lemma surd_triangle_true d f xy wxy yz wyz xz wxz eq v k w :
  check_surd_triangle d f xy wxy yz wyz xz wxz eq v k w = true -> surd_triangle_claim d f xy yz xz eq v.
Proof. unfold check_surd_triangle.
  destruct (qsq d xy wxy) as [A|] eqn:EA; [|discriminate]. destruct (qsq d yz wyz) as [B|] eqn:EB; [|discriminate].
  destruct (qsq d xz wxz) as [C|] eqn:EC; [|discriminate].
  intros H. apply andb_true_iff in H as [H Hc]. apply andb_true_iff in H as [H HC]. apply andb_true_iff in H as [HA HB].
  exists A, B, C. split. apply (qsq_sound _ _ _ _ EA). split. apply (qsq_sound _ _ _ _ EB). split. apply (qsq_sound _ _ _ _ EC).
  split. apply unit_b_sound, HA. split. apply unit_b_sound, HB. split. apply unit_b_sound, HC.
  cbv zeta in Hc. destruct v.
  - split; auto. intros _. rewrite Forall_forall. intros [[[P P'] R] R'] Hin. rewrite forallb_forall in Hc.
    apply ssl_b_sound, (Hc _ Hin).
  - split; [|discriminate]. intros Hall. apply andb_true_iff in Hc as [Hk Hg]. apply Nat.ltb_lt in Hk.
    rewrite Forall_forall in Hall. specialize (Hall _ (nth_In _ (0, 0, 0, 0) Hk)).
    destruct (nth k (surd_tri_conds f eq A B C) (0, 0, 0, 0)) as [[[P P'] R] R'].
    exfalso. apply (ssl_gt_b_sound _ _ _ _ _ Hg), Hall. Qed.

(* --- mutual k-NN over every tie-breaking (symrep's range of values) ---
   Statement (trusted): `knn_set m n k A i N`: N is a set of k nearest neighbours of point i: k
   distinct points below n other than i, none with a smaller cosine key to i than a point left out.
   When no tie straddles the k-th place there is one such set (the `knn` of `mutual_knn`); otherwise
   the sets are the tie-breakings, each the first k of some order of the points by decreasing cosine
   (argsort breaks ties by one such order).  `knn_tie_value n k A B s`: for some choice of such sets
   NA(i) in A and NB(i) in B, point by point, s is the mean over points i of |NA(i) & NB(i)| / k:
   the value of one tie-breaking (defined as `mutual_knn` is: 1 <= k < n, no zero feature vector).
   Symrep's range is the set of these values.  `TKnn k A B` is mutual k-NN as that set of values
   (`TQ x` a quantity with its one value), and `relation_every d L o R` says that L o R holds for
   every value of each side, and each side has one: the meaning of symrep's verdict on a range. *)
Definition knn_set (m n k : nat) (A : mat) (i : nat) (N : list nat) : Prop :=
  NoDup N /\ length N = k /\ (forall j, In j N -> (j < n)%nat /\ j <> i) /\
  forall j l, In j N -> (l < n)%nat -> l <> i -> ~ In l N ->
    cos_key m (col A i) (col A l) <= cos_key m (col A i) (col A j).
Definition overlap (NA NB : list nat) : nat := length (filter (fun j => memb j NB) NA).
Definition knn_tie_value (n k : nat) (A B : mat) (s : Q) : Prop :=
  (1 <= k < n)%nat /\
  (forall p, (p < n)%nat -> ~ n2 (length A) (col A p) == 0 /\ ~ n2 (length B) (col B p) == 0) /\
  exists NA NB : nat -> list nat,
    (forall i, (i < n)%nat -> knn_set (length A) n k A i (NA i) /\ knn_set (length B) n k B i (NB i)) /\
    s == inject_Z (Z.of_nat (fold_right plus 0%nat (map (fun i => overlap (NA i) (NB i)) (seq 0 n))))
         / inject_Z (Z.of_nat (n * k)).
Inductive tquantity := TQ (x : quantity) | TKnn (k : nat) (A B : mat).
Definition tsqval (d : nat) (x : tquantity) (v : Q) : Prop :=
  match x with TQ x => sqval d x v | TKnn k A B => exists s, knn_tie_value d k A B s /\ v == s * s end.
Definition relation_every (d : nat) (L : tquantity) (o : relop) (R : tquantity) : Prop :=
  (exists vl vr, tsqval d L vl /\ tsqval d R vr) /\
  forall vl vr, tsqval d L vl -> tsqval d R vr -> cmp o vl vr.

(* Proof by computation: the candidates of point i are `knn` (the points with fewer than k points
   strictly nearer: every k-nearest set lies inside), Coq lists every subset of them that is a
   k-nearest set (`knn_sets`), and takes the least and greatest overlap per point over all pairs. *)
(* `if`, not `&&`: vm_compute evaluates both arguments of andb, and most subsets have the wrong size *)
Definition knn_setb (m n k : nat) (A : mat) (i : nat) (N : list nat) : bool :=
  if Nat.eqb (length N) k then forallb (fun j => forallb (fun l => Nat.eqb l i || memb l N ||
    Qle_bool (cos_key m (col A i) (col A l)) (cos_key m (col A i) (col A j))) (seq 0 n)) N else false.
Lemma knn_setb_and m n k A i N : knn_setb m n k A i N = Nat.eqb (length N) k && forallb (fun j => forallb (fun l =>
    Nat.eqb l i || memb l N || Qle_bool (cos_key m (col A i) (col A l)) (cos_key m (col A i) (col A j))) (seq 0 n)) N.
Proof. unfold knn_setb. destruct (Nat.eqb (length N) k); reflexivity. Qed.
Definition knn_sets (m n k : nat) (A : mat) (i : nat) : list (list nat) :=
  filter (knn_setb m n k A i) (sublists (knn m n k A i)).
Definition lmin (l : list nat) : nat := fold_right Nat.min (hd 0%nat l) l.
Definition lmax (l : list nat) : nat := fold_right Nat.max 0%nat l.
Definition knn_point_ov (n k : nat) (A B : mat) (i : nat) : list nat :=
  map (fun p => overlap (fst p) (snd p)) (list_prod (knn_sets (length A) n k A i) (knn_sets (length B) n k B i)).
Definition nsumq (l : list nat) (c : nat) : Q := inject_Z (Z.of_nat (fold_right plus 0%nat l)) / inject_Z (Z.of_nat c).
Definition knn_range (n k : nat) (A B : mat) : option (Q * Q) :=
  if Nat.leb 1 k && Nat.ltb k n &&
     forallb (fun p => negb (Qeq_bool (n2 (length A) (col A p)) 0) && negb (Qeq_bool (n2 (length B) (col B p)) 0))
             (seq 0 n) &&
     forallb (fun i => negb (Nat.eqb (length (knn_sets (length A) n k A i)) 0) &&
                       negb (Nat.eqb (length (knn_sets (length B) n k B i)) 0)) (seq 0 n)
  then let os := map (knn_point_ov n k A B) (seq 0 n) in
       Some (nsumq (map lmin os) (n * k), nsumq (map lmax os) (n * k))
  else None.

Lemma sublists_incl (l N : list nat) : In N (sublists l) -> incl N l.
Proof. revert N. induction l as [|a l IH]; simpl; intros N H.
  - destruct H as [<-|[]]. intros x [].
  - apply in_app_iff in H as [H|H].
    + apply in_map_iff in H as [N' [<- H]]. intros x [<-|Hx]; [left|right; apply (IH N' H x Hx)]; auto.
    + intros x Hx. right. apply (IH N H x Hx). Qed.
Lemma sublists_nodup (l N : list nat) : NoDup l -> In N (sublists l) -> NoDup N.
Proof. revert N. induction l as [|a l IH]; simpl; intros N Hl H.
  - destruct H as [<-|[]]. constructor.
  - inversion Hl as [|? ? Ha Hl']; subst. apply in_app_iff in H as [H|H].
    + apply in_map_iff in H as [N' [<- H]]. constructor; [|apply (IH N' Hl' H)].
      intros Hin. apply Ha, (sublists_incl l N' H a Hin).
    + apply (IH N Hl' H). Qed.
Lemma knn_nodup m n k A i : NoDup (knn m n k A i).
Proof. unfold knn. apply NoDup_filter, seq_NoDup. Qed.
Lemma In_knn m n k A i j : In j (knn m n k A i) <-> (j < n)%nat /\ j <> i /\
  (length (filter (fun l => negb (Nat.eqb l i) && Qltb (cos_key m (col A i) (col A j)) (cos_key m (col A i) (col A l)))
                  (seq 0 n)) < k)%nat.
Proof. unfold knn. rewrite filter_In, in_seq, andb_true_iff, negb_true_iff, Nat.eqb_neq, Nat.ltb_lt. lia. Qed.

Lemma knn_set_incl m n k A i N : knn_set m n k A i N -> incl N (knn m n k A i).
Proof. intros [Hnd [Hlen [Hin Hkey]]] j Hj. destruct (Hin j Hj) as [Hjn Hji]. apply In_knn. split; auto. split; auto.
  set (L := filter _ (seq 0 n)).
  assert (HL : forall l, In l L -> (l < n)%nat /\ l <> i /\ cos_key m (col A i) (col A j) < cos_key m (col A i) (col A l)).
  { intros l Hl. unfold L in Hl. rewrite filter_In, in_seq, andb_true_iff, negb_true_iff, Nat.eqb_neq, Qltb_spec in Hl.
    destruct Hl as [[_ H1] [H2 H3]]. split; [lia|auto]. }
  assert (Hsub : incl (j :: L) N).
  { intros l [<-|Hl]; auto. destruct (HL l Hl) as [H1 [H2 H3]]. destruct (In_dec Nat.eq_dec l N) as [?|Hn]; auto.
    exfalso. pose proof (Hkey j l Hj H1 H2 Hn). apply (Qlt_not_le _ _ H3); auto. }
  assert (Hnd' : NoDup (j :: L)).
  { constructor. intros Hl. destruct (HL j Hl) as [_ [_ H3]]. apply (Qlt_irrefl _ H3).
    apply NoDup_filter, seq_NoDup. }
  pose proof (NoDup_incl_length Hnd' Hsub). simpl in H. lia. Qed.

Lemma knn_sets_sound m n k A i N : In N (knn_sets m n k A i) -> knn_set m n k A i N.
Proof. unfold knn_sets. rewrite filter_In. intros [Hs Hb]. rewrite knn_setb_and in Hb.
  apply andb_true_iff in Hb as [Hl Hf]. apply Nat.eqb_eq in Hl. rewrite forallb_forall in Hf.
  pose proof (sublists_incl _ _ Hs) as Hinc. split; [apply (sublists_nodup _ _ (knn_nodup m n k A i) Hs)|].
  split; auto. split.
  - intros j Hj. apply Hinc, In_knn in Hj as [H1 [H2 _]]; auto.
  - intros j l Hj Hln Hli Hn. specialize (Hf j Hj). rewrite forallb_forall in Hf.
    assert (Hs' : In l (seq 0 n)) by (apply in_seq; lia). specialize (Hf l Hs').
    apply orb_true_iff in Hf as [Hf|Hf]. apply orb_true_iff in Hf as [Hf|Hf].
    + apply Nat.eqb_eq in Hf. contradiction.
    + apply memb_In in Hf. contradiction.
    + apply Qle_bool_iff; auto. Qed.

Definition kcanon (L N : list nat) : list nat := filter (fun j => memb j N) L.
Lemma kcanon_In L N j : incl N L -> (In j (kcanon L N) <-> In j N).
Proof. intros H. unfold kcanon. rewrite filter_In, memb_In. split; [tauto|]. intros Hj. split; auto. Qed.
Lemma knn_set_canon m n k A i N : knn_set m n k A i N -> In (kcanon (knn m n k A i) N) (knn_sets m n k A i).
Proof. intros Hs. pose proof (knn_set_incl _ _ _ _ _ _ Hs) as Hinc. destruct Hs as [Hnd [Hlen [Hin Hkey]]].
  unfold knn_sets. apply filter_In. split; [apply filter_sublists|].
  assert (Hnd' : NoDup (kcanon (knn m n k A i) N)) by (apply NoDup_filter, knn_nodup).
  rewrite knn_setb_and. apply andb_true_iff. split.
  - apply Nat.eqb_eq. transitivity (length N); [|exact Hlen]. apply NoDup_incl_eq_length; auto.
    + intros x Hx. apply (kcanon_In _ _ x Hinc); auto.
    + intros x Hx. apply (kcanon_In _ _ x Hinc); auto.
  - apply forallb_forall. intros j Hj. apply (kcanon_In _ _ j Hinc) in Hj. apply forallb_forall. intros l Hl.
    apply in_seq in Hl. destruct (Nat.eqb l i) eqn:E1; auto. destruct (memb l (kcanon (knn m n k A i) N)) eqn:E2; auto.
    simpl. apply Qle_bool_iff. apply Nat.eqb_neq in E1. apply (Hkey j l Hj); try lia; auto.
    intros Hl'. apply (kcanon_In _ _ l Hinc) in Hl'. apply memb_In in Hl'. congruence. Qed.

Lemma overlap_same NA NA' NB NB' : NoDup NA -> NoDup NA' -> (forall j, In j NA <-> In j NA') ->
  (forall j, In j NB <-> In j NB') -> overlap NA NB = overlap NA' NB'.
Proof. intros H1 H2 Ea Eb. unfold overlap. apply NoDup_incl_eq_length; try apply NoDup_filter; auto;
  intros x Hx; rewrite filter_In, memb_In in *; rewrite Ea, Eb in *; tauto. Qed.

Lemma lmin_le l x : In x l -> (lmin l <= x)%nat.
Proof. unfold lmin. generalize (hd 0%nat l). intros d. induction l as [|a l IH]; simpl; [tauto|].
  intros [<-|H]; [lia|]. specialize (IH H). lia. Qed.
Lemma lmax_ge l x : In x l -> (x <= lmax l)%nat.
Proof. unfold lmax. induction l as [|a l IH]; simpl; [tauto|]. intros [<-|H]; [lia|]. specialize (IH H). lia. Qed.
Lemma sum_map_le (f g : nat -> nat) l : (forall i, In i l -> (f i <= g i)%nat) ->
  (fold_right plus 0%nat (map f l) <= fold_right plus 0%nat (map g l))%nat.
Proof. induction l as [|a l IH]; simpl; intros H; auto. pose proof (H a (or_introl eq_refl)).
  assert (fold_right plus 0%nat (map f l) <= fold_right plus 0%nat (map g l))%nat by (apply IH; auto). lia. Qed.
Lemma nsumq_le a b c : (fold_right plus 0%nat a <= fold_right plus 0%nat b)%nat -> nsumq a c <= nsumq b c.
Proof. intros H. unfold nsumq, Qdiv. apply Qmult_le_compat_r.
  - rewrite <- Zle_Qle. lia.
  - apply Qinv_le_0_compat. unfold Qle. simpl. lia. Qed.
Lemma nsumq_nonneg a c : 0 <= nsumq a c.
Proof. unfold nsumq, Qdiv. apply Qmult_le_0_compat; [|apply Qinv_le_0_compat]; unfold Qle; simpl; lia. Qed.
Lemma map_map_fold (f : nat -> list nat) (h : list nat -> nat) l :
  map h (map f l) = map (fun i => h (f i)) l.
Proof. apply map_map. Qed.

Lemma knn_range_sound n k A B lo hi : knn_range n k A B = Some (lo, hi) ->
  (exists s, knn_tie_value n k A B s) /\ 0 <= lo /\ forall s, knn_tie_value n k A B s -> lo <= s /\ s <= hi.
Proof. unfold knn_range. destruct (Nat.leb 1 k && Nat.ltb k n && _ && _) eqn:H; [|discriminate].
  intros E. injection E; intros <- <-. clear E.
  apply andb_true_iff in H as [H Hne]. apply andb_true_iff in H as [H Hnz]. apply andb_true_iff in H as [Hk1 Hk2].
  apply Nat.leb_le in Hk1. apply Nat.ltb_lt in Hk2. rewrite forallb_forall in Hne, Hnz.
  assert (Hnorm : forall p, (p < n)%nat -> ~ n2 (length A) (col A p) == 0 /\ ~ n2 (length B) (col B p) == 0).
  { intros p Hp. assert (Hs : In p (seq 0 n)) by (apply in_seq; lia). specialize (Hnz p Hs).
    apply andb_true_iff in Hnz as [H1 H2]. apply negb_true_iff, Qnz_bool in H1, H2. auto. }
  split; [|split; [apply nsumq_nonneg|]].
  - set (NA := fun i => hd [] (knn_sets (length A) n k A i)). set (NB := fun i => hd [] (knn_sets (length B) n k B i)).
    eexists. split; [split; auto|]. split; auto. exists NA, NB. split; [|reflexivity].
    intros i Hi. assert (Hs : In i (seq 0 n)) by (apply in_seq; lia). specialize (Hne i Hs).
    apply andb_true_iff in Hne as [H1 H2]. apply negb_true_iff, Nat.eqb_neq in H1, H2.
    unfold NA, NB. split; apply knn_sets_sound.
    + destruct (knn_sets (length A) n k A i); simpl in *; [lia|auto].
    + destruct (knn_sets (length B) n k B i); simpl in *; [lia|auto].
  - intros s [_ [_ [NA [NB [Hall Hs]]]]]. rewrite Hs. fold (nsumq (map (fun i => overlap (NA i) (NB i)) (seq 0 n)) (n * k)).
    rewrite !map_map.
    assert (Hp : forall i, In i (seq 0 n) -> In (overlap (NA i) (NB i)) (knn_point_ov n k A B i)).
    { intros i Hi. apply in_seq in Hi. destruct (Hall i ltac:(lia)) as [Ha Hb].
      set (CA := kcanon (knn (length A) n k A i) (NA i)). set (CB := kcanon (knn (length B) n k B i) (NB i)).
      assert (E : overlap (NA i) (NB i) = overlap CA CB).
      { apply overlap_same. apply Ha. apply NoDup_filter, knn_nodup.
        - intros j. symmetry. apply kcanon_In, knn_set_incl, Ha.
        - intros j. symmetry. apply kcanon_In, knn_set_incl, Hb. }
      rewrite E. unfold knn_point_ov. apply (in_map (fun p => overlap (fst p) (snd p)) _ (CA, CB)).
      apply in_prod; apply knn_set_canon; auto. }
    split; apply nsumq_le, sum_map_le; intros i Hi.
    + apply lmin_le, Hp, Hi.
    + apply lmax_ge, Hp, Hi. Qed.

Definition tq_br (d : nat) (x : tquantity) (w : qwit) : option (Q * Q) :=
  match x with
  | TQ x => match qsq d x w with Some v => Some (v, v) | None => None end
  | TKnn k A B => match knn_range d k A B with Some (lo, hi) => Some (lo * lo, hi * hi) | None => None end
  end.
Lemma tq_br_sound d x w lo hi : tq_br d x w = Some (lo, hi) ->
  (exists v, tsqval d x v) /\ forall v, tsqval d x v -> lo <= v /\ v <= hi.
Proof. destruct x as [x|k A B]; cbn [tq_br tsqval].
  - destruct (qsq d x w) as [v0|] eqn:E; intros H; [|discriminate]. injection H; intros <- <-.
    pose proof (qsq_sound _ _ _ _ E) as H0. split; [exists v0; auto|].
    intros v Hv. pose proof (sqval_unique _ _ _ _ Hv H0) as U. rewrite U. split; apply Qle_refl.
  - destruct (knn_range d k A B) as [[l h]|] eqn:E; intros H; [|discriminate]. injection H; intros <- <-.
    destruct (knn_range_sound _ _ _ _ _ _ E) as [[s Hs] [Hl Hb]]. split; [exists (s * s), s; split; auto; reflexivity|].
    intros v [s' [Hs' Ev]]. destruct (Hb s' Hs') as [H1 H2]. rewrite Ev. split; nra. Qed.

Definition every_cmpb (o : relop) (la ha lb hb : Q) : bool :=
  match o with
  | OLe => Qle_bool ha lb | OLt => Qltb ha lb | OGe => Qle_bool hb la | OGt => Qltb hb la
  | OEq => Qeq_bool la ha && Qeq_bool lb hb && Qeq_bool ha lb
  end.
Definition relation_every_check (d : nat) (L : tquantity) (wl : qwit) (o : relop) (R : tquantity) (wr : qwit) : bool :=
  match tq_br d L wl, tq_br d R wr with Some (la, ha), Some (lb, hb) => every_cmpb o la ha lb hb | _, _ => false end.
Lemma relation_every_true d L wl o R wr : relation_every_check d L wl o R wr = true -> relation_every d L o R.
Proof. unfold relation_every_check.
  destruct (tq_br d L wl) as [[la ha]|] eqn:E1; [|discriminate]. destruct (tq_br d R wr) as [[lb hb]|] eqn:E2; [|discriminate].
  destruct (tq_br_sound _ _ _ _ _ E1) as [[vl Hl] Bl]. destruct (tq_br_sound _ _ _ _ _ E2) as [[vr Hr] Br].
  intros H. split; [exists vl, vr; auto|]. intros a b Ha Hb. destruct (Bl a Ha) as [A1 A2]. destruct (Br b Hb) as [B1 B2].
  destruct o; cbn [every_cmpb cmp] in *; rewrite ?andb_true_iff, ?Qle_bool_iff, ?Qeq_bool_iff, ?Qltb_spec in H; lra. Qed.
