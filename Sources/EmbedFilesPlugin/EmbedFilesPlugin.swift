import Foundation
import PackagePlugin

/// Compiles the package's top-level `Migrations/*.sql` files, `Config/peergate.yaml` and
/// `Config/openapi.yaml`, and the web console (`Console/` of the target: HTML, CSS, JS)
/// into the target it is applied to, so a single `peergate` binary carries its schema and
/// its built-in defaults (no resource bundle to deploy next to it).
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let migrations = root.appending(path: "Migrations")
        let sqlFiles = try FileManager.default
            .contentsOfDirectory(at: migrations, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let console = target.directoryURL.appending(path: "Console")
        let consoleFiles = try FileManager.default
            .contentsOfDirectory(at: console, includingPropertiesForKeys: nil)
            .filter { ["html", "css", "js"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let inputs = sqlFiles + [root.appending(path: "Config/peergate.yaml"), root.appending(path: "Config/openapi.yaml")] + consoleFiles
        let output = context.pluginWorkDirectoryURL.appending(path: "BundledFiles+Contents.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files into \(target.name)",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: [output.path(percentEncoded: false), root.path(percentEncoded: false)]
                    + inputs.map { $0.path(percentEncoded: false) },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
