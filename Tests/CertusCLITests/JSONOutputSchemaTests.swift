import Foundation
import Testing
import TestSupport

/// `verify --json` and `check --json` print what docs/schema says they print: real output of
/// every kind (sat, unsat, unknown, timeout during reading and during search, bad input) is
/// validated against the schema files in the repository.
@Suite struct JSONOutputSchemaTests {
    static func schema(_ name: String) throws -> JSONSchemaValidator {
        let url = Fixtures.repositoryRoot.appendingPathComponent("docs/schema/\(name).schema.json")
        return JSONSchemaValidator(schema: try JSONValue.parse(String(contentsOf: url, encoding: .utf8)))
    }

    /// Parses the run's standard output as one JSON object, validates it, and returns its members.
    static func validated(_ run: CertusExecutable.Run, against validator: JSONSchemaValidator,
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: JSONValue] {
        let document = try JSONValue.parse(run.standardOutput)
        let violations = try validator.violations(of: document)
        #expect(violations.isEmpty, "\(violations)\n\(run.standardOutput)", sourceLocation: sourceLocation)
        guard case let .object(members) = document else { Issue.record("not an object", sourceLocation: sourceLocation); return [:] }
        return members
    }

    @Test func verdictsMatchTheSchema() throws {
        let validator = try Self.schema("verify-output")
        let unsat = try CertusExecutable.run(["verify", CommandLineTests.model, CommandLineTests.property("robust_small"), "--json"])
        #expect(unsat.status == 0)
        let proved = try Self.validated(unsat, against: validator)
        #expect(proved["result"] == .string("unsat"))
        #expect(proved["schemaVersion"] == .number(1))

        let sat = try CertusExecutable.run(["verify", CommandLineTests.model, CommandLineTests.property("robust_large"), "--json"])
        let falsified = try Self.validated(sat, against: validator)
        #expect(falsified["result"] == .string("sat"))
        guard case let .object(cex)? = falsified["counterexample"], case let .array(x)? = cex["x"] else {
            Issue.record("sat without a counterexample: \(sat.standardOutput)")
            return
        }
        #expect(x.count == 5)
    }

    @Test func stoppedRunsAndErrorsMatchTheSchema() throws {
        let validator = try Self.schema("verify-output")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let slow = try scratch.write("slow.vnnlib", ResourceControlTests.slowProperty())
        let timeout = try CertusExecutable.run(["verify", ResourceControlTests.network, slow, "--timeout", "1", "--json"])
        let stopped = try Self.validated(timeout, against: validator)
        #expect(stopped["result"] == .string("timeout"))
        #expect(stopped["reason"] != nil)

        let tiny = try scratch.write("p.vnnlib", HostilePropertyTests.declarations + "(assert (<= 0 X_0 1))\n(assert (<= 0 X_1 1))\n(assert (<= Y_0 0))\n")
        let memory = try CertusExecutable.run(["verify", ResourceControlTests.network, tiny, "--memory-limit", "1", "--json"])
        #expect(try Self.validated(memory, against: validator)["result"] == .string("unknown"))

        let missing = try CertusExecutable.run(["verify", CommandLineTests.model, scratch.path("missing.vnnlib"), "--json"])
        #expect(missing.status == 2)
        let error = try Self.validated(missing, against: validator)
        #expect(error["result"] == .string("error"))
        guard case let .string(reason)? = error["reason"] else { Issue.record("no reason"); return }
        #expect(reason.contains("missing.vnnlib"))
    }

    /// A timeout in the middle of branch and bound reports how many nodes it processed, and
    /// the best bound it proved (below 0: the tree is still open).
    @Test(.requiresBenchmarks) func timeoutDuringSearchCountsNodes() throws {
        let validator = try Self.schema("verify-output")
        let acas = try #require(Fixtures.vnncomp2021).appendingPathComponent("acasxu")
        let run = try CertusExecutable.run(["verify", acas.appendingPathComponent("ACASXU_run2a_3_3_batch_2000.onnx").path,
                                            acas.appendingPathComponent("prop_2.vnnlib").path, "--timeout", "4", "--json"])
        let object = try Self.validated(run, against: validator)
        #expect(object["result"] == .string("timeout"), "\(run.standardOutput)")
        guard case let .number(nodes)? = object["nodes"] else { Issue.record("no node count"); return }
        #expect(nodes > 0)
        guard case let .number(bound)? = object["bound"] else { Issue.record("no bound: \(run.standardOutput)"); return }
        #expect(bound < 0)
    }

    @Test func checkOutputMatchesTheSchema() throws {
        let validator = try Self.schema("check-output")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = scratch.path("result.txt")
        _ = try CertusExecutable.run(["verify", CommandLineTests.model, CommandLineTests.property("robust_large"), "--result", result])
        let valid = try CertusExecutable.run(["check", CommandLineTests.model, CommandLineTests.property("robust_large"), result, "--json"])
        #expect(valid.status == 0)
        #expect(try Self.validated(valid, against: validator)["status"] == .string("valid"))

        let centre = try scratch.write("centre.txt", "sat\n((X_0 0.1)\n (X_1 -0.2)\n (X_2 0.3)\n (X_3 0.0)\n (X_4 0.25))\n")
        let refuted = try CertusExecutable.run(["check", CommandLineTests.model, CommandLineTests.property("robust_large"), centre, "--json"])
        #expect(refuted.status == 1)
        #expect(try Self.validated(refuted, against: validator)["status"] == .string("invalid"))

        let unsat = try scratch.write("unsat.txt", "unsat\n")
        let unchecked = try CertusExecutable.run(["check", CommandLineTests.model, CommandLineTests.property("robust_small"), unsat, "--json"])
        #expect(try Self.validated(unchecked, against: validator)["status"] == .string("unchecked"))

        let missing = try CertusExecutable.run(["check", CommandLineTests.model, CommandLineTests.property("robust_small"),
                                                scratch.path("missing.txt"), "--json"])
        #expect(missing.status == 2)
        #expect(try Self.validated(missing, against: validator)["status"] == .string("error"))
    }

    /// The validator is not a formality: it finds what is wrong with wrong documents, and
    /// refuses schemas with keywords it does not implement.
    @Test func validatorRejectsWrongDocuments() throws {
        let validator = try Self.schema("verify-output")
        let good = #"{"schemaVersion":1,"tool":"certus","model":"m","property":"p","result":"unsat","seconds":0.1,"nodes":0,"leaves":0}"#
        #expect(try validator.violations(of: JSONValue.parse(good)).isEmpty)
        let wrong = [
            #"{"schemaVersion":2,"tool":"certus","model":"m","property":"p","result":"unsat","seconds":0.1,"nodes":0,"leaves":0}"#,
            #"{"schemaVersion":1,"tool":"certus","model":"m","property":"p","result":"proved","seconds":0.1,"nodes":0,"leaves":0}"#,
            #"{"schemaVersion":1,"tool":"certus","model":"m","property":"p","result":"unsat","seconds":0.1,"nodes":0}"#,
            #"{"schemaVersion":1,"tool":"certus","model":"m","property":"p","result":"unsat","seconds":0.1,"nodes":1.5,"leaves":0}"#,
            #"{"schemaVersion":1,"tool":"certus","model":"m","property":"p","result":"unsat","seconds":0.1,"nodes":0,"leaves":0,"extra":true}"#,
            #"{"schemaVersion":1,"tool":"certus","model":"m","property":"p","result":"sat","seconds":0.1,"nodes":0,"leaves":0,"counterexample":{"x":[true]}}"#,
        ]
        for text in wrong {
            #expect(try !validator.violations(of: JSONValue.parse(text)).isEmpty, "\(text)")
        }
        let unsupported = JSONSchemaValidator(schema: try JSONValue.parse(#"{"type":"object","patternProperties":{}}"#))
        #expect(throws: JSONSchemaValidator.UnsupportedKeyword.self) { try unsupported.violations(of: JSONValue.parse("{}")) }
    }
}
