//! The drawing the web app shows and `baton graph --format svg` writes: the `scene` (which
//! nodes and edges, expanded workflows' steps, groups, laid out), the `folders` a big
//! workspace's overview closes into boxes, the typed `key`s that name what is drawn, where each finding is `place`d on it, and the `svg` that renders it
//! (styles from `graph.css`) with its `Marks`.

pub mod folders;
pub mod key;
pub mod place;
pub mod scene;
pub mod svg;
