/// The root of Knocker's command table.
public enum Commands {
    public static var root: CommandSpec {
        CommandSpec(
            name: "knocker",
            abstract: "Multi-region uptime monitoring.",
            version: Knocker.version
        )
    }
}
