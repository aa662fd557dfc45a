import Testing

@testable import KnockerKit

@Suite("Config")
struct ConfigTests {
    func load(
        flags: [String: String] = [:],
        environment: [String: String] = [:],
        dotEnv: [String: String]? = nil
    ) throws(ConfigError) -> Config {
        try Config.load(
            flags: flags,
            environment: environment,
            dotEnv: dotEnv.map { (".env", $0) },
            derivedMachineID: 4242
        )
    }

    func setting(_ config: Config, _ name: String) -> ResolvedSetting? {
        config.settings.first { $0.key.name == name }
    }

    @Test func defaultsMatchTheDocumentedValues() throws {
        let config = try load()
        #expect(config.appName == "knocker")
        #expect(config.port == 8000)
        #expect(config.region == "local")
        #expect(config.machineID == 4242)
        #expect(setting(config, "APP_MACHINE_ID")?.source == .derived)
        #expect(config.database.poolSize == 10)
        #expect(config.database.acquireTimeout == .seconds(10))
        #expect(config.database.statementTimeout == .seconds(30))
        #expect(config.database.connectionString.contains("host='localhost'"))
        #expect(config.database.connectionString.contains("port=5432"))
        #expect(config.redis == RedisEndpoint(host: "localhost", port: 6379, password: nil, database: 0))
        #expect(config.accessTokenExpiry == 900)
        #expect(config.pingRetentionDays == 90)
        #expect(config.logLevel == .info)
        #expect(setting(config, "APP_PORT")?.source == .defaultValue)
    }

    @Test func flagsBeatEnvironmentWhichBeatsDotEnvWhichBeatsDefaults() throws {
        let config = try load(
            flags: ["log-level": "error"],
            environment: ["LOG_LEVEL": "debug", "APP_PORT": "9000"],
            dotEnv: ["LOG_LEVEL": "trace", "APP_PORT": "9001", "APP_REGION": "eu-west"]
        )
        #expect(config.logLevel == .error)
        #expect(setting(config, "LOG_LEVEL")?.source == .flag("log-level"))
        #expect(config.port == 9000)
        #expect(setting(config, "APP_PORT")?.source == .environment)
        #expect(config.region == "eu-west")
        #expect(setting(config, "APP_REGION")?.source == .dotEnv(".env"))
    }

    @Test func anEmptyEnvironmentValueFallsThrough() throws {
        let config = try load(environment: ["APP_PORT": ""], dotEnv: ["APP_PORT": "7000"])
        #expect(config.port == 7000)
    }

    @Test func invalidValuesNameTheVariableAndTheExpectation() {
        #expect(
            throws: ConfigError(
                key: "DB_PORT",
                value: "abc",
                source: .environment,
                reason: "expected an integer from 1 to 65535"
            )
        ) {
            try load(environment: ["DB_PORT": "abc"])
        }
        #expect(
            throws: ConfigError(
                key: "APP_ENV",
                value: "staging",
                source: .dotEnv(".env"),
                reason: "expected one of dev, prod"
            )
        ) {
            try load(dotEnv: ["APP_ENV": "staging"])
        }
        do {
            _ = try load(environment: ["DB_ACQUIRE_TIMEOUT": "soon"])
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description.hasPrefix("invalid DB_ACQUIRE_TIMEOUT 'soon' (from environment): expected a duration")
            )
        }
    }

    /// Durations far beyond a setting's range (and beyond Int64 milliseconds) fail with the variable and the range.
    @Test func hugeAndNegativeDurationsNameTheVariableAndTheRange() {
        let cases: [(String, String, String)] = [
            ("DB_ACQUIRE_TIMEOUT", "1e20s", "expected a duration from 1ms to 1h such as 500ms, 10s or 2m"),
            ("WORKER_SHUTDOWN_GRACE", "1e20", "expected a duration from 0s to 10m such as 500ms, 10s or 2m"),
            ("SCHEDULER_TICK", "99999999999999d", "expected a duration from 10ms to 1h such as 500ms, 10s or 2m"),
            ("DB_STATEMENT_TIMEOUT", "25h", "expected a duration from 0s to 1d such as 500ms, 10s or 2m"),
            (
                "MAINTENANCE_INTERVAL", "-1s",
                "durations cannot be negative (expected a duration from 0s to 1d such as 500ms, 10s or 2m)"
            ),
        ]
        for (name, value, reason) in cases {
            #expect(throws: ConfigError(key: name, value: value, source: .environment, reason: reason)) {
                try load(environment: [name: value])
            }
        }
        #expect(throws: ConfigError(key: "SCHEDULER_TICK", value: "1e20s", source: .flag("tick"), reason: cases[2].2)) {
            try load(flags: ["tick": "1e20s"])
        }
    }

    @Test func databaseURLIsCheckedByLibpqAndWinsOverDBSettings() throws {
        let config = try load(environment: ["DATABASE_URL": "postgres://u:secret@db:6543/app", "DB_HOST": "ignored"])
        #expect(config.database.connectionString == "postgres://u:secret@db:6543/app")
        #expect(setting(config, "DATABASE_URL")?.displayValue == "postgres://u:****@db:6543/app")

        do {
            _ = try load(environment: ["DATABASE_URL": "postgres://u@db:notaport/app"])
            Issue.record("expected an error")
        } catch {
            #expect(error.key == "DATABASE_URL")
            #expect(error.description.contains("invalid DATABASE_URL"))
        }
        #expect(throws: ConfigError.self) { try load(flags: ["database-url": "mysql://x"]) }
        #expect(throws: ConfigError.self) { try load(environment: ["DATABASE_URL": "postgres://db/app?bogus=1"]) }
    }

    @Test func redisURLIsParsed() throws {
        let config = try load(environment: ["REDIS_URL": "redis://:pw%40x@cache.internal:6380/3"])
        #expect(config.redis == RedisEndpoint(host: "cache.internal", port: 6380, password: "pw@x", database: 3))
        #expect(setting(config, "REDIS_URL")?.displayValue == "redis://:****@cache.internal:6380/3")
        #expect(throws: ConfigError.self) { try load(environment: ["REDIS_URL": "redis://host/abc"]) }
        #expect(throws: ConfigError.self) { try load(environment: ["REDIS_URL": "rediss://host"]) }
    }

    @Test func secretsAreMasked() throws {
        let config = try load(environment: ["JWT_SECRET_KEY": "topsecret", "DB_PASSWORD": "hunter2"])
        #expect(setting(config, "JWT_SECRET_KEY")?.displayValue == "********")
        #expect(setting(config, "DB_PASSWORD")?.displayValue == "********")
        #expect(!config.settings.map(\.displayValue).contains { $0.contains("topsecret") || $0.contains("hunter2") })
        #expect(Secrets.maskURL("host=x password=abc user=y") == "host=x password=**** user=y")
    }

    @Test func timeoutsOfZeroMeanNone() throws {
        #expect(try load(environment: ["DB_STATEMENT_TIMEOUT": "0"]).database.statementTimeout == nil)
        #expect(try load(environment: [:]).database.tcpTimeout == .seconds(30))
        #expect(try load(environment: ["DB_TCP_TIMEOUT": "0"]).database.tcpTimeout == nil)
        #expect(
            try load(environment: ["DB_STATEMENT_TIMEOUT": "1500ms"]).database.statementTimeout == .milliseconds(1500)
        )
    }

    @Test func everySettingIsListedOnceInOrder() throws {
        let config = try load()
        #expect(config.settings.map(\.key.name) == ConfigKey.all.map(\.name))
        #expect(Set(ConfigKey.all.map(\.name)).count == ConfigKey.all.count)
    }
}
