//! A long list with only the rows in view in the DOM: every row's height is known up front,
//! so the list is as tall as all its rows and draws those under the scroll position, and a
//! few on either side (so that the keyboard can move to the next row). 14,000 findings are
//! a few dozen elements.

use leptos::html::Div;
use leptos::prelude::*;

/// Rows drawn beyond each edge of the visible part.
const OVERSCAN: usize = 8;
/// The visible height assumed until the list is measured.
const FIRST_HEIGHT: f64 = 900.0;

#[component]
pub fn VirtualList<R, V>(
    /// Each row's height in pixels, in order.
    #[prop(into)]
    heights: Signal<Vec<f64>>,
    /// Draws row `i`.
    row: R,
    /// The scrolling box's class.
    #[prop(into)]
    class: String,
    /// The scrolling box's `data-testid`.
    #[prop(into)]
    testid: String,
) -> impl IntoView
where
    R: Fn(usize) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let scroller = NodeRef::<Div>::new();
    let top = RwSignal::new(0.0);
    let visible = RwSignal::new(FIRST_HEIGHT);
    // `offsets[i]` is where row `i` starts; the last entry is the whole height.
    let offsets = Memo::new(move |_| {
        heights.with(|heights| {
            let mut offsets = Vec::with_capacity(heights.len() + 1);
            let mut y = 0.0;
            offsets.push(y);
            for h in heights {
                y += h;
                offsets.push(y);
            }
            offsets
        })
    });
    let window = Memo::new(move |_| {
        offsets.with(|offsets| {
            let rows = offsets.len().saturating_sub(1);
            let (top, bottom) = (top.get(), top.get() + visible.get());
            let first = offsets.partition_point(|&y| y <= top).saturating_sub(1);
            let last = offsets.partition_point(|&y| y < bottom);
            (first.saturating_sub(OVERSCAN), (last + OVERSCAN).min(rows))
        })
    });
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            top.set(f64::from(el.scroll_top()));
            visible.set(f64::from(el.client_height()).max(1.0));
        }
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    view! {
        <div class=format!("virtual {class}") node_ref=scroller data-testid=testid on:scroll=move |_| measure()>
            <ul class="virtual-rows" style:height=move || format!("{}px", offsets.with(|o| o.last().copied().unwrap_or(0.0)))>
                {move || {
                    let (first, last) = window.get();
                    let row = row.clone();
                    offsets.with_untracked(|offsets| {
                        (first..last)
                            .map(|i| {
                                let (y, h) = (offsets[i], offsets[i + 1] - offsets[i]);
                                view! {
                                    <li class="virtual-row" style:top=format!("{y}px") style:height=format!("{h}px")>
                                        {row(i)}
                                    </li>
                                }
                            })
                            .collect_view()
                    })
                }}
            </ul>
        </div>
    }
}
