/// The VNN-COMP counterexample text `((X_0 v)\n (X_1 v)\n … (Y_0 v) …)`, one pair a line, with
/// doubles in Swift's shortest round-trip form so that reading the text back gives exactly
/// the same numbers.
public enum CounterexampleText {
    /// The witness for `inputs` and `outputs`.
    public static func witness(inputs: [Double], outputs: [Double]) -> String {
        let pairs = inputs.enumerated().map { "(X_\($0.offset) \(format($0.element)))" }
            + outputs.enumerated().map { "(Y_\($0.offset) \(format($0.element)))" }
        guard !pairs.isEmpty else { return "()\n" }
        return pairs.enumerated().map { k, pair in
            (k == 0 ? "(" : " ") + pair + (k == pairs.count - 1 ? ")" : "")
        }.joined(separator: "\n") + "\n"
    }

    /// `value` in a form `Double(_:)` reads back exactly.
    public static func format(_ value: Double) -> String { value == 0 ? "0.0" : "\(value)" }
}
