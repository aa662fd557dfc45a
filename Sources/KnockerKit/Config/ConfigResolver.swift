import Foundation

extension Config {
    /// Looks settings up in precedence order, validates them and remembers where each came from.
    struct Resolver {
        let flags: [String: String]
        let environment: [String: String]
        let dotEnv: (path: String, values: [String: String])?
        var settings: [String: ResolvedSetting] = [:]

        init(flags: [String: String], environment: [String: String], dotEnv: (path: String, values: [String: String])?)
        {
            self.flags = flags
            self.environment = environment
            self.dotEnv = dotEnv
        }

        /// The raw setting, without validation.
        func resolve(_ key: ConfigKey) -> ResolvedSetting {
            if let flag = key.flag, let value = flags[flag] {
                return ResolvedSetting(key: key, value: value, source: .flag(flag))
            }
            if let value = environment[key.name], !value.isEmpty {
                return ResolvedSetting(key: key, value: value, source: .environment)
            }
            if let dotEnv, let value = dotEnv.values[key.name], !value.isEmpty {
                return ResolvedSetting(key: key, value: value, source: .dotEnv(dotEnv.path))
            }
            if let value = key.defaultValue {
                return ResolvedSetting(key: key, value: value, source: .defaultValue)
            }
            return ResolvedSetting(key: key, value: nil, source: .unset)
        }

        /// The validated text of a setting, or nil when unset.
        mutating func string(_ key: ConfigKey) throws(ConfigError) -> String? {
            let setting = resolve(key)
            settings[key.name] = setting
            guard let value = setting.value else { return nil }
            func fail(_ reason: String? = nil) -> ConfigError {
                ConfigError(
                    key: key.name,
                    value: value,
                    source: setting.source,
                    reason: reason ?? "expected \(key.expectation)"
                )
            }
            switch key.kind {
            case .text, .list:
                break
            case .integer(let range):
                guard let number = Int(value.trimmingCharacters(in: " ")), range.contains(number) else { throw fail() }
            case .duration(let range):
                let bounds = Duration.milliseconds(range.lowerBound)...Duration.milliseconds(range.upperBound)
                if case .failure(let invalid) = DurationText.parse(value, in: bounds) { throw fail(invalid.reason) }
            case .choice(let values):
                guard values.contains(value) else { throw fail() }
            case .url(let schemes):
                guard let colon = value.range(of: "://"),
                    schemes.contains(value[..<colon.lowerBound].lowercased()),
                    value[colon.upperBound...].contains(where: { $0 != "/" })
                else { throw fail() }
            }
            return value
        }

        /// A `host:port` listen address (see ``MetricsServer/parseListenAddress(_:)``), or nil when unset.
        mutating func listenAddress(_ key: ConfigKey) throws(ConfigError) -> SocketAddress? {
            guard let value = try string(key) else { return nil }
            do {
                return try MetricsServer.parseListenAddress(value)
            } catch {
                let setting = resolve(key)
                throw ConfigError(
                    key: key.name,
                    value: value,
                    source: setting.source,
                    reason:
                        "expected host:port such as 127.0.0.1:9464, [::1]:9464 or :9464 (an IP address or localhost)"
                )
            }
        }

        mutating func int(_ key: ConfigKey) throws(ConfigError) -> Int? {
            try string(key).flatMap { Int($0.trimmingCharacters(in: " ")) }
        }

        mutating func duration(_ key: ConfigKey) throws(ConfigError) -> Duration? {
            try string(key).flatMap(DurationText.parse)
        }

        mutating func list(_ key: ConfigKey) throws(ConfigError) -> [String] {
            (try string(key) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        }

        /// DATABASE_URL when set (checked by libpq's own parser), else a conninfo string built from DB_*.
        mutating func databaseConnectionString() throws(ConfigError) -> String {
            let parts = (
                host: try string(.dbHost) ?? "localhost", port: try int(.dbPort) ?? 5432,
                user: try string(.dbUser) ?? "knocker", password: try string(.dbPassword) ?? "",
                name: try string(.dbName) ?? "knocker", sslMode: try string(.dbSSLMode) ?? "disable"
            )
            if let url = try string(.databaseURL) {
                let source = settings[ConfigKey.databaseURL.name]?.source ?? .environment
                let parsed: [String: String]
                do {
                    parsed = try PostgresConfiguration.parseConnectionString(url)
                } catch {
                    throw ConfigError(
                        key: ConfigKey.databaseURL.name,
                        value: url,
                        source: source,
                        reason: error.message
                    )
                }
                // libpq accepts any text as a port until it connects; say so now.
                for port in parsed["port"].map({ $0.split(separator: ",", omittingEmptySubsequences: false) }) ?? [] {
                    guard let number = Int(port), (1...65535).contains(number) else {
                        throw ConfigError(
                            key: ConfigKey.databaseURL.name,
                            value: url,
                            source: source,
                            reason: "the port '\(port)' is not a number from 1 to 65535"
                        )
                    }
                }
                return url
            }
            func quoted(_ value: String) -> String {
                "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
                    + "'"
            }
            return [
                "host=\(quoted(parts.host))", "port=\(parts.port)", "user=\(quoted(parts.user))",
                "password=\(quoted(parts.password))", "dbname=\(quoted(parts.name))", "sslmode=\(parts.sslMode)",
            ].joined(separator: " ")
        }

        /// REDIS_URL when set, else REDIS_HOST/PORT/PASSWORD/DB.
        mutating func redisEndpoint() throws(ConfigError) -> RedisEndpoint {
            var endpoint = RedisEndpoint(
                host: try string(.redisHost) ?? "localhost",
                port: try int(.redisPort) ?? 6379,
                password: try string(.redisPassword),
                database: try int(.redisDB) ?? 0
            )
            guard let url = try string(.redisURL) else { return endpoint }
            let source = settings[ConfigKey.redisURL.name]?.source ?? .environment
            func fail(_ reason: String) -> ConfigError {
                ConfigError(key: ConfigKey.redisURL.name, value: url, source: source, reason: reason)
            }
            guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
                throw fail("expected redis://[:password@]host[:port][/db]")
            }
            endpoint.host = host
            endpoint.port = components.port ?? 6379
            guard (1...65535).contains(endpoint.port) else { throw fail("the port must be from 1 to 65535") }
            endpoint.password = components.password.flatMap { $0.removingPercentEncoding ?? $0 }
            let path = components.path.trimmingCharacters(in: "/")
            if path.isEmpty {
                endpoint.database = 0
            } else if let database = Int(path), (0...1023).contains(database) {
                endpoint.database = database
            } else {
                throw fail("the path must be a database number from 0 to 1023, not '\(path)'")
            }
            return endpoint
        }
    }
}
