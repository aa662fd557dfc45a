// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "knocker",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "knocker", targets: ["knocker"]),
        .library(name: "KnockerKit", targets: ["KnockerKit"]),
    ],
    targets: [
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "CSystem"),
        .executableTarget(name: "embed-migrations", path: "Sources/embed-migrations"),
        .plugin(
            name: "EmbedMigrations",
            capability: .buildTool(),
            dependencies: ["embed-migrations"]
        ),
        .target(
            name: "KnockerKit",
            dependencies: ["CLibPQ", "CHiredis", "CCurl", "COpenSSL", "CMicroHTTPD", "CArgon2", "CSystem"],
            plugins: ["EmbedMigrations"]
        ),
        .executableTarget(name: "knocker", dependencies: ["KnockerKit"]),
        // A queue worker with scripted handlers, run as a separate process by the queue tests (e.g. to SIGKILL it).
        .executableTarget(name: "queue-test-worker", dependencies: ["KnockerKit"], path: "Tests/QueueTestWorker"),
        .testTarget(name: "KnockerKitTests", dependencies: ["KnockerKit"]),
        .executableTarget(name: "queue-bench", dependencies: ["KnockerKit"], path: "bench/QueueBench"),
        .executableTarget(name: "http-check-bench", dependencies: ["KnockerKit"], path: "bench/HTTPCheckBench"),
        .executableTarget(name: "pipeline-bench", dependencies: ["KnockerKit"], path: "bench/PipelineBench"),
    ],
    swiftLanguageModes: [.v6]
)
