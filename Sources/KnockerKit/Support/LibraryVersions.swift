import CArgon2
import CCurl
import CHiredis
import CLibPQ
import CMicroHTTPD
import COpenSSL

/// The versions of the C libraries this binary runs with (read from the libraries at run time where they say).
enum LibraryVersions {
    struct Entry: Sendable {
        let name: String
        let version: String
    }

    static var current: [Entry] {
        let pq = Int(PQlibVersion())
        return [
            Entry(name: "libpq", version: "\(pq / 10000).\(pq % 10000)"),
            Entry(name: "hiredis", version: "\(HIREDIS_MAJOR).\(HIREDIS_MINOR).\(HIREDIS_PATCH)"),
            Entry(name: "libcurl", version: curl_version().map { String(cString: $0) } ?? "unknown"),
            Entry(
                name: "openssl",
                version: OpenSSL_version(Int32(OPENSSL_VERSION)).map { String(cString: $0) } ?? "unknown"
            ),
            Entry(name: "libmicrohttpd", version: MHD_get_version().map { String(cString: $0) } ?? "unknown"),
            Entry(name: "libargon2", version: "argon2 v\(String(ARGON2_VERSION_NUMBER.rawValue, radix: 16))"),
        ]
    }
}
