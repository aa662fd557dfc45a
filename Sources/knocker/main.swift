import KnockerKit

#if canImport(Glibc)
import Glibc
#endif

let code = await Knocker.main(arguments: CommandLine.arguments)
exit(code)
