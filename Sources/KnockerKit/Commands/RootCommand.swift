/// The root of Knocker's command table.
public enum Commands {
    /// Every command, as parsed, documented in `--help`, completed by shells and listed in the man page.
    public static var root: CommandSpec {
        CommandSpec(
            name: "knocker",
            abstract: "Multi-region uptime monitoring.",
            discussion: """
                Knocker checks HTTP endpoints and hosts from several regions, records every result, opens and \
                resolves incidents and alerts people. Settings come from flags, then the environment, then a .env \
                file, then defaults; `knocker config` shows the effective values.
                """,
            arguments: Runtime.globalOptions,
            subcommands: [
                VersionCommand.spec,
                ConfigCommand.spec,
                MigrateCommand.spec,
                MaintainCommand.spec,
                ScheduleCommand.spec,
                QueueCommand.spec,
                CheckCommand.spec,
                WorkCommand.spec,
                AllCommand.spec,
                TailPingsCommand.spec,
                NotificationCommand.spec,
            ],
            version: Knocker.version
        )
    }
}
