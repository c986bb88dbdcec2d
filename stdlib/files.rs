// The library files in load order, as `(name, source)`: included by
// `jlx_runtime::stdlib::FILES` and by the `jlx` crate's build script, which
// compiles them into the embedded image, so both read one list.
&[
    ("stdlib/base.jlx", include_str!("base.jlx")),
    ("stdlib/collections.jlx", include_str!("collections.jlx")),
    ("stdlib/strings.jlx", include_str!("strings.jlx")),
    ("stdlib/tasks.jlx", include_str!("tasks.jlx")),
    ("stdlib/threads.jlx", include_str!("threads.jlx")),
]
