//! The app engine loader: the input, steered into that kind of document, through `load`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    baton_fuzz::load_one(baton_fuzz::app_engine(data));
});
