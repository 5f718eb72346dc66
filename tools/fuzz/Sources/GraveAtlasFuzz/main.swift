import Foundation

/// libFuzzer's entry point: runs the reader named by `GRAVEATLAS_FUZZ_TARGET` on one input.
///
/// ```sh
/// GRAVEATLAS_FUZZ_TARGET=wkb .build/debug/GraveAtlasFuzz corpus/wkb seeds/wkb
/// ```
/// Built with `-parse-as-library` (libFuzzer supplies `main`). A thrown error is a clean
/// refusal and ends the run normally; only a trap, a sanitizer report, a timeout or running
/// out of memory counts as a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}

/// libFuzzer's driver, for the entry point below.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The process entry point. SwiftPM links an executable's `main` to `<module>_main` (so that
/// tests can import it), which replaces libFuzzer's own `main`; this hands over to its driver.
@_cdecl("GraveAtlasFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
