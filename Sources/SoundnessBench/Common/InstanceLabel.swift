/// What the generator knows about an instance, as written in `hidden/labels.csv`.
public enum InstanceLabel: String, Sendable, Hashable, Codable, CaseIterable {
    /// A counterexample was planted and checked: any `unsat` claim is unsound.
    case unverifiable
    /// No counterexample was planted. This is not a claim of safety (the provenance says when
    /// Certus's bounds proved the instance safe).
    case clean
}
