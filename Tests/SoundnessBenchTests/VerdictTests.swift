import Testing
@testable import SoundnessBench

/// Result words are matched as whole tokens: SoundnessBench's `eval.py` matches substrings, so
/// there `unsat` reads as sat and `unsafe` as unsat (Zhou et al. 2024, arXiv 2412.03154).
@Suite struct VerdictTests {
    @Test func wordsAreWholeTokens() {
        #expect(Verdict.parse(word: "sat") == .sat)
        #expect(Verdict.parse(word: "unsat") == .unsat)
        #expect(Verdict.parse(word: "unsat") != .sat)
        #expect(Verdict.parse(word: "unsafe") == nil)
        #expect(Verdict.parse(word: "safe") == nil)
        #expect(Verdict.parse(word: "satisfiable") == nil)
        #expect(Verdict.parse(word: "sat.") == nil)
        #expect(Verdict.parse(word: "") == nil)
        #expect(Verdict.parse(word: "un sat") == nil)
    }

    @Test func vnncompVocabulary() {
        #expect(Verdict.parse(word: "SAT") == .sat)
        #expect(Verdict.parse(word: "UNSAT") == .unsat)
        #expect(Verdict.parse(word: "violated") == .sat)
        #expect(Verdict.parse(word: "holds") == .unsat)
        #expect(Verdict.parse(word: "unknown") == .unknown)
        #expect(Verdict.parse(word: "timeout") == .timeout)
        #expect(Verdict.parse(word: "run_instance_timeout") == .timeout)
        #expect(Verdict.parse(word: "error") == .error)
        #expect(Verdict.parse(word: "error_exit_code_1") == .error)
        #expect(Verdict.parse(word: "error_exit_code_") == nil)
        #expect(Verdict.parse(word: "error_exit_code_x") == nil)
    }

    @Test func resultFilesReadTheFirstTokenOnly() {
        let unsafe = ResultFileReader(text: "unsafe\n")
        #expect(unsafe.verdict == .error && !unsafe.isRecognised && unsafe.word == "unsafe")
        #expect(ResultFileReader(text: "  unsat\n").verdict == .unsat)
        #expect(ResultFileReader(text: "holds").verdict == .unsat)
        #expect(ResultFileReader(text: "").verdict == .error)
        let unsatPlus = ResultFileReader(text: "unsat_maybe\n")
        #expect(unsatPlus.verdict == .error && !unsatPlus.isRecognised)
    }

    @Test func witnessOnTheSameLineOrTheNext() throws {
        let sameLine = ResultFileReader(text: "sat ((X_0 0.5)\n (X_1 -1e-3)\n (Y_0 2))\n")
        #expect(sameLine.verdict == .sat)
        #expect(sameLine.witness == Witness(inputs: [0: 0.5, 1: -0.001], outputs: [0: 2]))
        let nextLine = ResultFileReader(text: "sat\n((X_0 0.25)\n (Y_0 1.0)\n (Y_1 0))\n")
        #expect(nextLine.witness == Witness(inputs: [0: 0.25], outputs: [0: 1, 1: 0]))
        let glued = ResultFileReader(text: "sat(\n(X_0 1))")
        #expect(glued.verdict == .sat && glued.witness?.inputs == [0: 1])
    }

    @Test func malformedWitnessesAreProblemsNotCrashes() {
        for text in ["sat\n", "sat\n((X_0 0.5)\n", "sat\n((X_0 abc))", "sat\n((Z_0 1))", "sat\n((X_0 1) (X_0 2))",
                     "sat\n((X_0 inf))", "sat\n(X_0 1)", "sat\n((X_0 1)) trailing", "sat\n((X_-1 1))"] {
            let reading = ResultFileReader(text: text)
            #expect(reading.verdict == .sat)
            #expect(reading.witness == nil, "\(text)")
            #expect(reading.witnessProblem != nil, "\(text)")
        }
    }

    @Test func witnessVectors() throws {
        let w = Witness(inputs: [0: 1, 1: 2])
        #expect(try w.inputVector(count: 2).get() == [1, 2])
        if case let .failure(problem) = w.inputVector(count: 3) { #expect(problem.description == "no value for X_2") } else {
            Issue.record("a missing input must be a problem")
        }
        if case let .failure(problem) = w.inputVector(count: 1) {
            #expect(problem.description == "X_1 is beyond the network's 1 inputs")
        } else {
            Issue.record("an extra input must be a problem")
        }
    }
}
