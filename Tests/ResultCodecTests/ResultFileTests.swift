import ResultCodec
import Testing

/// Result words are matched as whole tokens: SoundnessBench's `eval.py` matches substrings, so
/// there `unsat` reads as sat and `unsafe` as unsat (Zhou et al. 2024, arXiv 2412.03154).
@Suite struct ResultFileTests {
    @Test func wordsAreWholeTokens() {
        #expect(ResultWord.parse(word: "sat") == .sat)
        #expect(ResultWord.parse(word: "unsat") == .unsat)
        #expect(ResultWord.parse(word: "unsat") != .sat)
        #expect(ResultWord.parse(word: "unsafe") == nil)
        #expect(ResultWord.parse(word: "safe") == nil)
        #expect(ResultWord.parse(word: "satisfiable") == nil)
        #expect(ResultWord.parse(word: "sat.") == nil)
        #expect(ResultWord.parse(word: "") == nil)
        #expect(ResultWord.parse(word: "un sat") == nil)
    }

    @Test func vnncompVocabulary() {
        #expect(ResultWord.parse(word: "SAT") == .sat)
        #expect(ResultWord.parse(word: "UNSAT") == .unsat)
        #expect(ResultWord.parse(word: "violated") == .sat)
        #expect(ResultWord.parse(word: "holds") == .unsat)
        #expect(ResultWord.parse(word: "unknown") == .unknown)
        #expect(ResultWord.parse(word: "timeout") == .timeout)
        #expect(ResultWord.parse(word: "run_instance_timeout") == .timeout)
        #expect(ResultWord.parse(word: "error") == .error)
        #expect(ResultWord.parse(word: "error_exit_code_1") == .error)
        #expect(ResultWord.parse(word: "error_exit_code_") == nil)
        #expect(ResultWord.parse(word: "error_exit_code_x") == nil)
    }

    @Test func resultFilesReadTheFirstTokenOnly() {
        let unsafe = ResultFile(reading: "unsafe\n")
        #expect(unsafe.word == .error && !unsafe.isRecognised && unsafe.token == "unsafe")
        #expect(ResultFile(reading: "  unsat\n").word == .unsat)
        #expect(ResultFile(reading: "holds").word == .unsat)
        #expect(ResultFile(reading: "").word == .error)
        let unsatPlus = ResultFile(reading: "unsat_maybe\n")
        #expect(unsatPlus.word == .error && !unsatPlus.isRecognised)
    }

    @Test func witnessOnTheSameLineOrTheNext() throws {
        let sameLine = ResultFile(reading: "sat ((X_0 0.5)\n (X_1 -1e-3)\n (Y_0 2))\n")
        #expect(sameLine.word == .sat)
        #expect(sameLine.witness == Witness(inputs: [0: 0.5, 1: -0.001], outputs: [0: 2]))
        let nextLine = ResultFile(reading: "sat\n((X_0 0.25)\n (Y_0 1.0)\n (Y_1 0))\n")
        #expect(nextLine.witness == Witness(inputs: [0: 0.25], outputs: [0: 1, 1: 0]))
        let glued = ResultFile(reading: "sat(\n(X_0 1))")
        #expect(glued.word == .sat && glued.witness?.inputs == [0: 1])
    }

    @Test func malformedWitnessesAreProblemsNotCrashes() {
        for text in ["sat\n", "sat\n((X_0 0.5)\n", "sat\n((X_0 abc))", "sat\n((Z_0 1))", "sat\n((X_0 1) (X_0 2))",
                     "sat\n((X_0 inf))", "sat\n(X_0 1)", "sat\n((X_0 1)) trailing", "sat\n((X_-1 1))"] {
            let reading = ResultFile(reading: text)
            #expect(reading.word == .sat)
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

    /// What `certus verify --result` writes reads back to the same numbers, and a user's file
    /// that is not a result is an error naming it.
    @Test func writtenFilesReadBackExactly() throws {
        let witness = Witness(inputs: [0: 0.1, 1: -1.5e-7, 2: 0], outputs: [0: 1e300, 1: -0.25])
        let text = ResultFile(word: .sat, witness: witness).text
        #expect(text == "sat\n((X_0 0.1)\n (X_1 -1.5e-07)\n (X_2 0.0)\n (Y_0 1e+300)\n (Y_1 -0.25))\n")
        #expect(try ResultFile.parse(text, fileName: "r.txt").witness == witness)
        #expect(ResultFile(word: .timeout).text == "timeout\n")
        #expect(throws: ResultFileError(fileName: "r.txt", message: "expected sat, unsat, unknown, timeout or error but found 'safe'")) {
            try ResultFile.parse("safe\n", fileName: "r.txt")
        }
        #expect(throws: ResultFileError.self) { try ResultFile.parse("sat\n((X_0 1)\n", fileName: "r.txt") }
    }
}
