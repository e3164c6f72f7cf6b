import Foundation

/// A cactus plot as inline SVG: for each verifier, the number of instances decided (y) within
/// a time (x, logarithmic), as a step line. Drawn here, so the page needs no script or network.
public struct CactusPlot: Sendable {
    /// One line: a name and the sorted times of its decided instances.
    public struct Series: Sendable {
        public var name: String
        public var times: [Double]
        public init(name: String, times: [Double]) {
            self.name = name
            self.times = times.sorted()
        }
    }

    public var series: [Series]
    /// The right end of the time axis (the timeout), in seconds.
    public var maxTime: Double
    /// The top of the count axis (the number of instances).
    public var maxCount: Int

    public init(series: [Series], maxTime: Double, maxCount: Int) {
        self.series = series
        self.maxTime = maxTime
        self.maxCount = maxCount
    }

    /// Distinguishable colours, cycled.
    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// The SVG element (800×420 view box).
    public var svg: String {
        let (width, height) = (800.0, 420.0)
        let (left, right, top, bottom) = (64.0, 170.0, 20.0, 50.0)
        let plotW = width - left - right, plotH = height - top - bottom
        let allTimes = series.flatMap(\.times).filter { $0 > 0 }
        let lowDecade = floor(log10(max(1e-3, min(allTimes.min() ?? 0.1, maxTime / 10))))
        let highDecade = ceil(log10(max(maxTime, (allTimes.max() ?? 1), 1e-2)))
        let countTop = max(1, maxCount)
        func x(_ t: Double) -> Double {
            let l = log10(max(t, pow(10, lowDecade)))
            return left + plotW * (l - lowDecade) / max(1e-9, highDecade - lowDecade)
        }
        func y(_ n: Int) -> Double { top + plotH * (1 - Double(n) / Double(countTop)) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var parts: [String] = []
        parts.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Cactus plot: instances decided against time\" font-family=\"sans-serif\" font-size=\"12\">")
        parts.append("<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>")
        // Grid and axes.
        var decade = lowDecade
        while decade <= highDecade + 1e-9 {
            let px = x(pow(10, decade))
            parts.append("<line x1=\"\(f(px))\" y1=\"\(f(top))\" x2=\"\(f(px))\" y2=\"\(f(top + plotH))\" stroke=\"#dddddd\"/>")
            parts.append("<text x=\"\(f(px))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(Self.timeLabel(pow(10, decade)))</text>")
            decade += 1
        }
        let step = Self.niceStep(countTop)
        var n = 0
        while n <= countTop {
            parts.append("<line x1=\"\(f(left))\" y1=\"\(f(y(n)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y(n)))\" stroke=\"#eeeeee\"/>")
            parts.append("<text x=\"\(f(left - 8))\" y=\"\(f(y(n) + 4))\" text-anchor=\"end\">\(n)</text>")
            n += step
        }
        parts.append("<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333333\"/>")
        if maxTime > 0 {
            let px = x(maxTime)
            parts.append("<line x1=\"\(f(px))\" y1=\"\(f(top))\" x2=\"\(f(px))\" y2=\"\(f(top + plotH))\" stroke=\"#999999\" stroke-dasharray=\"4 3\"/>")
            parts.append("<text x=\"\(f(px - 4))\" y=\"\(f(top + 12))\" text-anchor=\"end\" fill=\"#666666\">timeout</text>")
        }
        parts.append("<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">time (s, log scale)</text>")
        parts.append("<text x=\"16\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f(top + plotH / 2)))\">instances decided</text>")
        // Lines.
        for (index, s) in series.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            var points = ["\(f(x(pow(10, lowDecade)))),\(f(y(0)))"]
            for (k, t) in s.times.enumerated() {
                points.append("\(f(x(t))),\(f(y(k)))")
                points.append("\(f(x(t))),\(f(y(k + 1)))")
            }
            points.append("\(f(x(pow(10, highDecade)))),\(f(y(s.times.count)))")
            parts.append("<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>")
            let ly = top + 14 + Double(index) * 20
            parts.append("<line x1=\"\(f(width - right + 14))\" y1=\"\(f(ly - 4))\" x2=\"\(f(width - right + 38))\" y2=\"\(f(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"3\"/>")
            parts.append("<text x=\"\(f(width - right + 44))\" y=\"\(f(ly))\">\(HTML.escape(s.name)) (\(s.times.count))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func timeLabel(_ t: Double) -> String {
        t >= 1 ? String(format: "%.0f", t) : String(format: "%g", t)
    }

    /// The smallest step of 1, 2 or 5 times a power of ten giving at most 10 ticks.
    static func niceStep(_ top: Int) -> Int {
        var base = 1
        while base < Int.max / 10 {
            for m in [1, 2, 5] where top / (base * m) <= 10 { return base * m }
            base *= 10
        }
        return base
    }
}

/// HTML text escaping.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
