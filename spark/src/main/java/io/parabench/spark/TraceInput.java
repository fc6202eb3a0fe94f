package io.parabench.spark;

import io.parabench.analysis.read.TraceReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The trace files an {@code INPUT} names, listed on the driver through Hadoop's file systems
 * ({@code file:}, {@code hdfs:}, {@code s3a:} with hadoop-aws on the class path, …): a directory
 * (its {@code *.json} and {@code *.json.gz} files, not hidden), a single file, or a glob of
 * either. Only names and sizes are read here; the bytes are read by the tasks.
 */
final class TraceInput {
    private TraceInput() {
    }

    /**
     * The trace files, sorted by path, as fully qualified URIs.
     *
     * @throws IllegalArgumentException when the input matches no trace file
     */
    static List<String> list(String input, Configuration conf) throws IOException {
        Path pattern = new Path(input);
        FileSystem fs = pattern.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(pattern);
        if (matches == null || matches.length == 0) {
            throw new IllegalArgumentException("INPUT (" + input + ") must name an existing directory, file or glob"
                    + " of trace files, but matches nothing");
        }
        List<String> files = new ArrayList<>();
        for (FileStatus match : matches) {
            if (match.isDirectory()) {
                for (FileStatus child : fs.listStatus(match.getPath())) {
                    if (child.isFile() && TraceReader.isTraceFileName(child.getPath().getName())) {
                        files.add(child.getPath().toString());
                    }
                }
            } else if (TraceReader.isTraceFileName(match.getPath().getName())) {
                files.add(match.getPath().toString());
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("INPUT (" + input + ") must hold at least one *.json or *.json.gz"
                    + " trace file");
        }
        files.sort(null);
        return files;
    }
}
