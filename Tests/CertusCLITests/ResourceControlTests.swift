import Foundation
import Testing
import TestSupport

/// Resource control of `certus verify`: the time limit holds for the whole run,
/// reading included; the memory limit stops a run with `unknown` before the system would kill
/// it; SIGTERM ends a run with `timeout` in the result file. Results are written atomically.
@Suite struct ResourceControlTests {
    static let network = HostilePropertyTests.network

    /// A property whose reading alone takes many seconds: each of `lines` assertions
    /// multiplies four 900-digit numerals, all within the reader's limits.
    static func slowProperty(lines: Int = 600) -> String {
        let product = ["1", "3", "7", "9"].enumerated().map { k, d in
            "0." + String(repeating: d, count: 900) + (k % 2 == 0 ? "e-999" : "e998")
        }.joined(separator: " ")
        return HostilePropertyTests.declarations
            + String(repeating: "(assert (<= (* \(product) X_0) 1e999))\n", count: lines)
    }

    /// A running `certus` with its output collected in the background.
    struct Running {
        let process: Process
        let out = Pipe(), err = Pipe()

        init(_ arguments: [String]) throws {
            let url = try #require(CertusExecutable.url)
            process = Process()
            process.executableURL = url
            process.arguments = arguments
            process.standardOutput = out
            process.standardError = err
            try process.run()
        }

        /// Waits for the exit (reading the pipes to the end) and returns status and output.
        func finish() -> (status: Int32, exited: Bool, out: String, err: String) {
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            let errData = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, process.terminationReason == .exit,
                    String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
        }
    }

    @Test func timeLimitCoversReadingTheFiles() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let property = try scratch.write("slow.vnnlib", Self.slowProperty())
        let result = scratch.path("result.txt")
        let run = try CertusExecutable.run(["verify", Self.network, property, "--timeout", "1", "--result", result])
        #expect(run.status == 0)
        #expect(run.standardOutput == "timeout\n")
        #expect(run.standardError.contains("note: the time limit of 1 s ran out (wall clock, reading the files included)"), "\(run.standardError)")
        #expect(run.seconds < 6, "took \(run.seconds) s")
        #expect(try String(contentsOfFile: result, encoding: .utf8) == "timeout\n")
        #expect(scratch.names == ["result.txt", "slow.vnnlib"])
    }

    @Test(.requiresBenchmarks)
    func timeLimitHoldsWhileSolving() throws {
        let acas = try #require(Fixtures.vnncomp2021).appendingPathComponent("acasxu")
        let run = try CertusExecutable.run(["verify", acas.appendingPathComponent("ACASXU_run2a_1_1_batch_2000.onnx").path,
                                            acas.appendingPathComponent("prop_3.vnnlib").path,
                                            "--no-bounds", "--engine", "exact", "--timeout", "2"])
        #expect(run.status == 0 && run.standardOutput == "timeout\n", "\(run.standardOutput) \(run.standardError)")
        #expect(run.seconds < 5, "took \(run.seconds) s")
    }

    /// How VNN-COMP harnesses stop a tool: SIGTERM while Z3 works on a hard ACAS Xu instance
    /// (the plain exact encoding of property 3 on network 1_1, minutes of work).
    @Test(.requiresBenchmarks)
    func sigtermWhileSolvingWritesTimeout() throws {
        let acas = try #require(Fixtures.vnncomp2021).appendingPathComponent("acasxu")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = scratch.path("result.txt")
        let running = try Running(["verify", acas.appendingPathComponent("ACASXU_run2a_1_1_batch_2000.onnx").path,
                                   acas.appendingPathComponent("prop_3.vnnlib").path,
                                   "--no-bounds", "--engine", "exact", "--result", result])
        Thread.sleep(forTimeInterval: 4)
        #expect(running.process.isRunning, "the instance was expected to take longer than 4 s")
        let sent = Date()
        running.process.terminate()  // SIGTERM
        let (status, exited, out, err) = running.finish()
        #expect(Date().timeIntervalSince(sent) < 3)
        #expect(exited && status == 0, "status \(status), \(err)")
        #expect(out == "timeout\n")
        #expect(err.contains("note: stopped by SIGTERM before a verdict was reached"))
        #expect(try String(contentsOfFile: result, encoding: .utf8) == "timeout\n")
        #expect(scratch.names == ["result.txt"], "a temporary file was left: \(scratch.names)")
    }

    /// SIGTERM while the property is still being read: no verdict yet, so `timeout`.
    @Test func sigtermWhileReadingWritesTimeout() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let property = try scratch.write("slow.vnnlib", Self.slowProperty())
        let result = scratch.path("result.txt")
        let running = try Running(["verify", Self.network, property, "--result", result, "--json"])
        Thread.sleep(forTimeInterval: 1.5)
        running.process.terminate()
        let (status, exited, out, _) = running.finish()
        #expect(exited && status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(object["result"] as? String == "timeout")
        #expect((object["reason"] as? String)?.contains("SIGTERM") == true)
        #expect(try String(contentsOfFile: result, encoding: .utf8) == "timeout\n")
        #expect(scratch.names == ["result.txt", "slow.vnnlib"])
    }

    /// SIGTERM racing the end of a short run (about 0.1 s): whatever wins, the result file
    /// agrees with standard output. A verdict already reported is never replaced by
    /// `timeout`, and a signal that comes before the guard is armed (process start-up) ends
    /// the run by the default action, leaving no result file rather than a wrong one.
    @Test func lateSigtermNeverReplacesAVerdict() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let property = try scratch.write("p.vnnlib", HostilePropertyTests.declarations
            + "(assert (<= 0 X_0 1))\n(assert (<= 0 X_1 1))\n(assert (<= Y_0 -1))\n")
        for step in 0..<8 {
            let result = scratch.path("result-\(step).txt")
            let running = try Running(["verify", Self.network, property, "--result", result])
            Thread.sleep(forTimeInterval: Double(step) * 0.03)
            running.process.terminate()
            let (status, exited, out, _) = running.finish()
            let file = try? String(contentsOfFile: result, encoding: .utf8)
            if exited {
                #expect(status == 0 && (out == "unsat\n" || out == "timeout\n"), "step \(step): \(status) \(out)")
                #expect(file == out, "step \(step): printed \(out), wrote \(file ?? "nothing")")
            } else {
                #expect(file == nil, "step \(step): killed, yet wrote \(file ?? "")")
            }
        }
        #expect(scratch.names.allSatisfy { !$0.hasSuffix(".tmp") }, "a temporary file was left: \(scratch.names)")
    }

    /// 1,500 disjuncts over 1,000 inputs: each case has its own box, about 240 MB in all, under
    /// the parser's case memory cap (256 MiB; 30,000 such disjuncts are an `error:` there) but
    /// over `--memory-limit 100`, which stops the run with `unknown`.
    @Test func memoryLimitStopsACaseExplosion() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let n = 1_000
        let disjuncts = (0..<1_500).map { "(<= X_\($0 % n) -\($0 + 1))" }.joined(separator: " ")
        let text = (0..<n).map { "(declare-const X_\($0) Real)\n" }.joined()
            + "(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n(assert (or \(disjuncts)))\n(assert (<= Y_0 0))\n"
        let property = try scratch.write("explode.vnnlib", text)
        let result = scratch.path("result.txt")
        let run = try CertusExecutable.run(["verify", Fixtures.url("cli/wide_1000.onnx").path, property,
                                            "--memory-limit", "100", "--timeout", "120", "--result", result])
        #expect(run.status == 0)
        #expect(run.standardOutput == "unknown\n", "\(run.standardError)")
        #expect(run.standardError.contains("over the limit of 100 MiB (--memory-limit)"), "\(run.standardError)")
        #expect(try String(contentsOfFile: result, encoding: .utf8) == "unknown\n")
    }

    /// A time limit longer than a `Duration` holds is no limit to speak of, not a trap.
    @Test func astronomicalTimeLimitIsNoLimit() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let property = try scratch.write("p.vnnlib", HostilePropertyTests.declarations
            + "(assert (<= 0 X_0 1))\n(assert (<= 0 X_1 1))\n(assert (<= Y_0 -1))\n")
        for limit in ["1e300", "1.7976931348623157e308"] {
            let run = try CertusExecutable.run(["verify", Self.network, property, "--timeout", limit])
            #expect(run.status == 0 && run.standardOutput == "unsat\n", "\(limit): \(run.standardError)")
        }
    }

    /// Far below the process's own size: the first check, made before reading, stops the run.
    @Test func memoryLimitInJSON() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let property = try scratch.write("p.vnnlib", HostilePropertyTests.declarations + "(assert (<= Y_0 0))\n")
        let run = try CertusExecutable.run(["verify", Self.network, property, "--memory-limit", "1", "--json"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["result"] as? String == "unknown")
        #expect((object["reason"] as? String)?.contains("over the limit of 1 MiB") == true)
    }
}
