import Foundation
import NetworkIR
import VNNLIB

/// The result of `certus bounds` as one value: per method, per case, the proved output bounds,
/// constraint slack bounds, proof, unstable ReLUs and time. Its JSON form is
/// `{"model": M, "property": P, "methods": [{"method": "interval"|"linear"|"lagrangian",
/// "seconds": s, "cases": [{"case": i, "outputs": [{"lower": l, "upper": u}, …], "proved": b,
/// "unstable": [n per ReLU layer], …}]}]}`, with further keys `proof`, `constraints`, `seconds`
/// and (when traced) `traces` per case. Infinite bounds are written as `null`.
public struct BoundsReport: Codable, Sendable, Equatable {
    /// The model's name (as given by the caller, e.g. its path).
    public var model: String
    /// The property's name.
    public var property: String
    /// One entry per method, in the order run.
    public var methods: [MethodReport]

    /// One method over all cases.
    public struct MethodReport: Codable, Sendable, Equatable {
        public var method: BoundsMethod
        /// Total seconds over all cases.
        public var seconds: Double
        public var cases: [CaseReport]
    }

    /// One case under one method.
    public struct CaseReport: Codable, Sendable, Equatable {
        public var caseIndex: Int
        public var outputs: [Interval]
        public var proved: Bool
        /// The proof's description, when proved.
        public var proof: String?
        public var unstable: [Int]
        public var constraints: [ConstraintReport]
        public var seconds: Double
        public var traces: [TraceReport]?

        enum CodingKeys: String, CodingKey {
            case caseIndex = "case", outputs, proved, proof, unstable, constraints, seconds, traces
        }
    }

    /// The slack bounds of one constraint.
    public struct ConstraintReport: Codable, Sendable, Equatable {
        public var constraint: String
        public var lower: Bound
        public var upper: Bound
        public var unreachable: Bool

        enum CodingKeys: String, CodingKey { case constraint, lower, upper, unreachable }

        public init(constraint: String, lower: Bound, upper: Bound, unreachable: Bool) {
            self.constraint = constraint
            self.lower = lower
            self.upper = upper
            self.unreachable = unreachable
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            constraint = try container.decode(String.self, forKey: .constraint)
            lower = try container.decode(Bound.self, forKey: .lower)
            upper = try container.decodeNil(forKey: .upper) ? Bound(.infinity) : try container.decode(Bound.self, forKey: .upper)
            unreachable = try container.decode(Bool.self, forKey: .unreachable)
        }
    }

    /// One Lagrangian trace: per iteration the bound and the best so far.
    public struct TraceReport: Codable, Sendable, Equatable {
        public var label: String
        public var bounds: [Bound]
        public var best: [Bound]
    }

    /// A closed interval.
    public struct Interval: Codable, Sendable, Equatable {
        public var lower: Bound
        public var upper: Bound

        enum CodingKeys: String, CodingKey { case lower, upper }

        public init(lower: Bound, upper: Bound) {
            self.lower = lower
            self.upper = upper
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            lower = try container.decode(Bound.self, forKey: .lower)
            upper = try container.decodeNil(forKey: .upper) ? Bound(.infinity) : try container.decode(Bound.self, forKey: .upper)
        }
    }

    /// A bound that may be infinite. JSON has no infinities, so a non-finite bound is written
    /// as `null`, which reads back as −∞ where a lower bound is expected and +∞ where an upper
    /// bound is (`Interval.upper`, `ConstraintReport.upper`).
    public struct Bound: Codable, Sendable, Equatable, ExpressibleByFloatLiteral {
        public var value: Double
        public init(_ value: Double) { self.value = value }
        public init(floatLiteral value: Double) { self.value = value }
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            value = container.decodeNil() ? -.infinity : try container.decode(Double.self)
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
        }
    }

    /// Creates a report from its parts.
    public init(model: String, property: String, methods: [MethodReport]) {
        self.model = model
        self.property = property
        self.methods = methods
    }

    /// Creates a report from analyzer results: `results[m][c]` is method `m` on case `c`.
    public init(model: String, property: String, results: [[CaseBounds]]) {
        self.model = model
        self.property = property
        methods = results.compactMap { cases in
            guard let method = cases.first?.method else { return nil }
            return MethodReport(method: method, seconds: cases.reduce(0) { $0 + $1.seconds },
                                cases: cases.enumerated().map { CaseReport(index: $0, $1) })
        }
    }

    /// The report as JSON (UTF-8), keys in declaration order.
    /// - Throws: what `JSONEncoder` throws (nothing for a well-formed report).
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        if prettyPrinted { encoder.outputFormatting = [.prettyPrinted] }
        return try encoder.encode(self)
    }
}

extension BoundsReport.CaseReport {
    init(index: Int, _ result: CaseBounds) {
        caseIndex = index
        outputs = (0..<result.outputs.count).map {
            BoundsReport.Interval(lower: .init(result.outputs.lower[$0]), upper: .init(result.outputs.upper[$0]))
        }
        proved = result.isProved
        proof = result.proof?.description
        unstable = result.unstableCounts
        constraints = result.constraints.map {
            BoundsReport.ConstraintReport(constraint: $0.constraint.description, lower: .init($0.lower),
                                          upper: .init($0.upper), unreachable: $0.isUnreachable)
        }
        seconds = result.seconds
        traces = result.traces.isEmpty ? nil : result.traces.map { trace in
            BoundsReport.TraceReport(label: trace.label, bounds: trace.entries.map { .init($0.bound) },
                                     best: trace.entries.map { .init($0.best) })
        }
    }
}

extension BoundsAnalyzer {
    /// Runs every method on every case of `specification` and assembles the report.
    /// - Throws: `BoundsError` when a case does not fit the network.
    public func report(model: String, property: String, specification: Specification, network: Network,
                       methods: [BoundsMethod]) throws -> BoundsReport {
        var perMethod = methods.map { _ in [CaseBounds]() }
        for results in try analyze(specification, of: network, methods: methods) {
            for (m, result) in results.enumerated() { perMethod[m].append(result) }
        }
        return BoundsReport(model: model, property: property, results: perMethod)
    }
}
