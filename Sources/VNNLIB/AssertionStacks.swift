/// The state of an assertion walk, shared by the 1.0 and 2.0 readers: one frame per open list
/// and the values of finished arguments, so that nesting is bounded only by the reader's depth
/// limit and never by the thread's stack.
struct AssertionStacks<Term, Formula> {
    struct Frame {
        let node: Int
        let op: AssertionOperator
        /// The next child to visit (child 0 is the operator).
        var next: Int
        let termBase: Int
        let formulaBase: Int
    }

    var frames: [Frame] = []
    var terms: [Term] = []
    var formulas: [Formula] = []

    /// Opens a frame for list `node` with operator `op`.
    mutating func open(_ node: Int, _ op: AssertionOperator) {
        frames.append(Frame(node: node, op: op, next: 1, termBase: terms.count, formulaBase: formulas.count))
    }

    /// Removes and returns the argument values of a finished frame.
    mutating func arguments(of frame: Frame) -> (terms: [Term], formulas: [Formula]) {
        let result = (Array(terms[frame.termBase...]), Array(formulas[frame.formulaBase...]))
        terms.removeSubrange(frame.termBase...)
        formulas.removeSubrange(frame.formulaBase...)
        return result
    }
}
