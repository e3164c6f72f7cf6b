import Foundation
import Testing
@testable import SoundnessBench

@Suite struct CSVAndSpecTests {
    @Test func csvQuotingRoundTrips() throws {
        let fields = ["plain", "with,comma", "with \"quote\"", ""]
        let rows = try CSV.parse(CSV.line(fields) + "\r\n\nnext,row\n", path: "t.csv")
        #expect(rows.map(\.fields) == [fields, ["next", "row"]])
        #expect(rows.map(\.line) == [1, 3])
        #expect(throws: SoundnessBenchError.malformedCSV(path: "t.csv", line: 1, reason: "unterminated quoted field")) {
            try CSV.parse("\"open,field\n", path: "t.csv")
        }
        #expect(throws: SoundnessBenchError.malformedCSV(path: "t.csv", line: 2, reason: "a quote inside an unquoted field")) {
            try CSV.parse("a,b\nab\"c\",d\n", path: "t.csv")
        }
    }

    @Test func resultsCSVReadsVNNCOMP2021Rows() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sb-results-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try "test,./benchmarks/test/test_tiny.onnx,./benchmarks/test/test_tiny.vnnlib,.276411791,holds,.248790541\n"
            .write(to: url, atomically: true, encoding: .utf8)
        let rows = try ResultsCSV.read(url)
        #expect(rows.count == 1 && rows[0].verdict == .unsat && rows[0].seconds == 0.248790541)
        #expect(rows[0].key == InstanceKey(onnx: "benchmarks/test/test_tiny.onnx", vnnlib: "benchmarks/test/test_tiny.vnnlib"))
        try "a,b,c\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: SoundnessBenchError.self) { try ResultsCSV.read(url) }
        try "a,b,c,x,sat,1\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: SoundnessBenchError.malformedCSV(path: url.path, line: 1,
                                                         reason: "prepare_time 'x' or run_time '1' is not a number")) {
            try ResultsCSV.read(url)
        }
    }

    @Test func templatesAreCheckedAndQuoted() throws {
        let spec = try VerifierSpec.parse(template: "tool=run {onnx} {vnnlib} --out {result} -t {timeout}")
        #expect(spec.name == "tool" && spec.writesResultFile)
        #expect(VerifierSpec.command("run {onnx} {vnnlib} -t {timeout}", onnx: "/a b/n.onnx", vnnlib: "/it's.vnnlib",
                                     result: "/r", timeout: 60)
                == "run '/a b/n.onnx' '/it'\\''s.vnnlib' -t '60'")
        #expect(VerifierSpec.timeoutText(2.5) == "2.5")
        #expect(!(try VerifierSpec.parse(template: "t=tool {onnx}")).writesResultFile)
        let bad: [(String, String)] = [
            ("no-equals", "expected NAME=COMMAND_TEMPLATE"),
            ("t=", "the command template is empty"),
            ("t=run {model}", "unknown placeholder {model}; use {onnx}, {vnnlib}, {result}, {timeout}, {proof}"),
            ("t=run {onnx", "unclosed '{' in the command template"),
            ("t=echo unsat > {result}", "the command template uses neither {onnx} nor {vnnlib}, so it never sees the instance"),
            ("bad name=run {onnx}", "the name must be 1–64 ASCII letters, digits, '.', '_' or '-'"),
        ]
        for (text, reason) in bad {
            #expect(throws: (any Error).self) { try VerifierSpec.parse(template: text) }
            do {
                _ = try VerifierSpec.parse(template: text)
            } catch let error as SoundnessBenchError {
                guard case let .invalidVerifier(_, actual) = error else { Issue.record("\(error)"); continue }
                #expect(actual == reason)
            }
        }
    }

    @Test func modelSpecsParseAndReject() throws {
        let mlp = try ModelSpec.parse("mlp:10:32x16:3:pocket:5+4")
        #expect(mlp.kind == .mlp && mlp.inputShape == [10] && mlp.hidden == [32, 16] && mlp.classes == 3)
        #expect(mlp.unverifiable == 5 && mlp.clean == 4 && mlp.description == "mlp:10:32x16:3:pocket:5+4")
        let cnn = try ModelSpec.parse("cnn:3x10x10:8k3s2,4k5s1:24:2:pocket")
        #expect(cnn.convolutions == [.init(channels: 8, kernel: 3, stride: 2), .init(channels: 4, kernel: 5, stride: 1)])
        #expect(cnn.inputSize == 300)
        #expect(ModelSpec.defaults.count == 15)
        for bad in ["mlp:10:32:2", "rnn:10:32:2:pocket", "mlp:0:32:2:pocket", "mlp:10:32:1:pocket", "mlp:10:32:2:magic",
                    "cnn:1x8x8:4k4s1:32:2:pocket", "cnn:8:4k3s1:32:2:pocket", "cnn:1x8x8:4k3s1:32:2:trained",
                    "mlp:4:8:2:trained", "mlp:10:32:2:pocket:5", "mlp:10:x:2:pocket"] {
            #expect(throws: SoundnessBenchError.self, "\(bad)") { try ModelSpec.parse(bad) }
        }
    }
}
