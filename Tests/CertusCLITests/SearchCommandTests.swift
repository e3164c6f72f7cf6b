import Foundation
import Testing
import TestSupport

/// `certus search` as a user meets it: the JSON object of `--json`, the text report that never
/// claims a proof, and bad options as `error:` lines with status 2.
@Suite struct SearchCommandTests {
    static let model = CommandLineTests.model

    static func json(_ run: CertusExecutable.Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    }

    @Test func findsAGridCounterexampleAndPrintsTheDocumentedJSON() throws {
        let run = try CertusExecutable.run(["search", Self.model, CommandLineTests.property("robust_large"), "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let object = try Self.json(run)
        #expect(Set(object.keys) == ["outcome", "grid", "pointsChecked", "cellsPruned", "pointsLeft", "counterexample"])
        #expect(object["outcome"] as? String == "counterexample")
        let grid = try #require(object["grid"] as? [String: Any])
        #expect((grid["steps"] as? [Int]) == [1, 1, 1, 1, 1])
        let witness = try #require(object["counterexample"] as? [String: Any])
        #expect((witness["x"] as? [Double])?.count == 5 && (witness["y"] as? [Double])?.count == 5)
    }

    @Test func reportsCoverageWithoutClaimingAProof() throws {
        let json = try CertusExecutable.run(["search", Self.model, CommandLineTests.property("robust_small"), "--json", "--spans", "2"])
        #expect(json.status == 0)
        let object = try Self.json(json)
        #expect(object["outcome"] as? String == "none-on-grid" && object["counterexample"] is NSNull)
        #expect(object["pointsLeft"] as? Int == 0)
        let text = try CertusExecutable.run(["search", Self.model, CommandLineTests.property("robust_small")])
        #expect(text.status == 0)
        #expect(text.standardOutput.hasPrefix("no counterexample on the grid\n"))
        #expect(text.standardOutput.contains("not a proof") && !text.standardOutput.lowercased().contains("unsat"))
    }

    @Test func badOptionsGiveOneErrorLine() throws {
        let run = try CertusExecutable.run(["search", Self.model, CommandLineTests.property("robust_small"), "--span", "1,2"])
        #expect(run.status == 2)
        #expect(run.standardError.hasPrefix("error: ") && run.standardError.contains("give one value or 5"))
        let budget = try CertusExecutable.run(["search", Self.model, CommandLineTests.property("robust_small"),
                                               "--pruner", "none", "--spans", "3", "--dims", "5", "--max-points", "10", "--json"])
        #expect(budget.status == 0)
        let object = try Self.json(budget)
        #expect(object["outcome"] as? String == "budget-exhausted" && object["pointsChecked"] as? Int == 10)
    }
}
