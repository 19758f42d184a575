import FuzzTargets
import Foundation

/// `peergate-fuzz list | run TARGET PATH… | seeds DIRECTORY` in a normal build.
enum FuzzCommandLine {
    static func main(_ arguments: [String]) {
        switch arguments.dropFirst().first {
        case "list":
            for target in FuzzTargets.all { print("\(target.name)\t\(target.summary)") }
        case "run" where arguments.count >= 4:
            guard let target = FuzzTargets.named(arguments[2]) else { fail("no target \(arguments[2])") }
            var count = 0
            for path in arguments.dropFirst(3) {
                for file in files(at: path) {
                    guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
                    target.run([UInt8](data))
                    count += 1
                }
            }
            print("\(target.name): \(count) inputs ran")
        case "seeds" where arguments.count == 3:
            do {
                try FuzzSeeds.write(to: URL(fileURLWithPath: arguments[2]))
            } catch {
                fail("cannot write the seeds: \(error)")
            }
        default:
            fail("usage: peergate-fuzz list | run TARGET PATH… | seeds DIRECTORY")
        }
    }

    /// A file, or the regular files of a directory (sorted).
    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("no such file \(path)") }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("peergate-fuzz: \(message)\n".utf8))
        exit(2)
    }
}
