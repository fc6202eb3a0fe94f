/**
 * Writing output files so that nothing is ever half-written: a single file
 * ({@link io.parabench.output.AtomicFile}, {@link io.parabench.output.PendingFile}) or a set of
 * files that belong together, such as one trace per rank ({@link io.parabench.output.FileSet}).
 *
 * <p>Rules every writer here follows: bytes go to a temporary sibling first and are moved into
 * place only once complete; temporary files are removed on every failure; a symbolic link is
 * written through (its target gets the content, the link stays a link); a special file (a
 * device, a FIFO, anything under {@code /dev} or {@code /proc}) is refused, never replaced.
 * The package sits below {@code trace} and every analysis package, so nothing here depends on
 * what is written.
 */
package io.parabench.output;
