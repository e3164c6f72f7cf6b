import Foundation
import Testing
@testable import SoundnessBench

@Suite struct ProcessRunnerTests {
    /// A limit too large for `Duration` (or not a number) must not trap: it means no limit.
    @Test(arguments: [1e300, .infinity, .nan, -5]) func extremeLimitsDoNotTrap(limit: Double) async {
        let outcome = await ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "exit 3"],
                                              standardOutput: nil, standardError: nil, timeLimit: limit, grace: limit)
        #expect(outcome.launchError == nil)
        #expect(outcome.status == 3 || outcome.wasKilled)
        if limit > 1 { #expect(outcome.status == 3 && !outcome.wasKilled) }
    }
}
