//! The body of `display(::AbstractVecOrMat)`: Julia's `print_matrix` with
//! `:limit => true` on a screen of `displaysize` rows × columns.
//!
//! Rules (Julia 1.11 `base/arrayshow.jl`): four screen rows go to the header
//! and prompt; a matrix taller than the rest shows its first `h/2` and last
//! `(h-1)/2` rows around a `⋮` line. Columns are kept from the left (and, if
//! they do not all fit, from the right around a `…` column) while their
//! widths plus two separator spaces each stay under the screen width. Every
//! cell is padded to its column's `(left, right)` alignment; the last column
//! of the matrix gets no right padding, the `⋮` lines keep theirs.

/// The text of one cell and its `(left, right)` alignment widths.
pub type Cell = (String, (usize, usize));

const SEP: &str = "  ";
const HDOTS: &str = "  \u{2026}  ";
const VDOTS: &str = "\u{22ee}";
const DDOTS: &str = "  \u{22f1}  ";
const HMOD: usize = 5;
const VMOD: usize = 5;
/// `Base.undef_ref_alignment`.
pub const UNDEF_ALIGNMENT: (usize, usize) = (3, 3);

/// Julia's `alignment(io, x)` from the printed text of `x`: integers (and
/// other non-real numbers) align right, reals split at the first `.`, `e`,
/// `E`, `f` or `F`, everything else aligns left.
pub fn alignment_of(text: &str, kind: AlignKind) -> (usize, usize) {
    let len = text.chars().count();
    match kind {
        AlignKind::Integer => (len, 0),
        AlignKind::Real => match text.find(['.', 'e', 'E', 'f', 'F']) {
            Some(p) => {
                let l = text[..p].chars().count();
                (l, len - l)
            }
            None => (len, 0),
        },
        AlignKind::Other => (0, len),
    }
}

/// Which `alignment` method applies to a value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum AlignKind {
    Integer,
    Real,
    Other,
}

fn width(a: &[(usize, usize)]) -> isize {
    a.iter().map(|(l, r)| (l + r) as isize).sum()
}

/// `alignment(io, X, rows, cols, cols_if_complete, cols_otherwise, sep)`.
fn alignment(
    cell: &dyn Fn(usize, usize) -> Cell,
    ncols: usize,
    rows: &[usize],
    cols: &[usize],
    if_complete: isize,
    otherwise: isize,
) -> Vec<(usize, usize)> {
    let sep = SEP.len() as isize;
    let mut a: Vec<(usize, usize)> = Vec::new();
    for &j in cols {
        let (mut l, mut r) = (0, 0);
        for &i in rows {
            let (_, (al, ar)) = cell(i, j);
            l = l.max(al);
            r = r.max(ar);
        }
        a.push((l, r));
        if a.len() > 1 && width(&a) + sep * a.len() as isize >= if_complete {
            a.pop();
            break;
        }
    }
    if 1 < a.len() && a.len() < ncols {
        while !a.is_empty() && width(&a) + sep * a.len() as isize >= otherwise {
            a.pop();
        }
    }
    a
}

/// `print_matrix_row`: the cells `(i, cols[k])` for each alignment `a[k]`.
fn print_row(
    out: &mut String,
    cell: &dyn Fn(usize, usize) -> Cell,
    ncols: usize,
    a: &[(usize, usize)],
    i: usize,
    cols: &[usize],
) {
    for (k, (&j, &(al, ar))) in cols.iter().zip(a).enumerate() {
        let (text, (l, r)) = cell(i, j);
        pad(out, al.saturating_sub(l));
        out.push_str(&text);
        if j + 1 != ncols {
            pad(out, ar.saturating_sub(r));
        }
        if k + 1 < a.len() {
            out.push_str(SEP);
        }
    }
}

/// `print_matrix_vdots`: a `⋮` under every `m`-th column (counting `k % every == m`).
fn print_vdots(out: &mut String, a: &[(usize, usize)], every: usize, m: usize) {
    for (k, &(al, ar)) in a.iter().enumerate() {
        let k = k + 1;
        let w = al + ar;
        if k % every == m {
            let l = al.saturating_sub(1);
            pad(out, l);
            out.push_str(VDOTS);
            pad(out, w.saturating_sub(1 + l));
        } else {
            pad(out, w);
        }
        if k < a.len() {
            out.push_str(SEP);
        }
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Julia's `print_matrix(io, X)` (pre `" "`, sep `"  "`, post `""`) for an
/// `nrows × ncols` matrix (a vector is one column) on a `screen` of
/// `(rows, columns)`. `cell(i, j)` (0-based) gives each cell's text and
/// alignment. Writes no trailing newline.
pub fn print_matrix(
    out: &mut String,
    nrows: usize,
    ncols: usize,
    cell: &dyn Fn(usize, usize) -> Cell,
    screen: (usize, usize),
) {
    let pre = " ";
    let screenheight = screen.0 as isize - 4;
    let screenwidth = screen.1 as isize - pre.len() as isize;
    let sepsize = SEP.len() as isize;
    let hdots_len = HDOTS.chars().count() as isize;
    let (m, n) = (nrows, ncols);

    let halfheight = (screenheight / 2).max(0) as usize;
    let rows: Vec<usize> = if m as isize > screenheight {
        let tail = ((screenheight - 1) / 2).max(0) as usize;
        (0..halfheight).chain(m - tail..m).collect()
    } else {
        (0..m).collect()
    };
    let maxpossible = (screenwidth / (1 + sepsize)).max(0) as usize;
    let cols: Vec<usize> =
        if n > maxpossible { (0..maxpossible).chain(n - maxpossible..n).collect() } else { (0..n).collect() };
    let a = alignment(cell, n, &rows, &cols, screenwidth, screenwidth);
    let vcut = m as isize > screenheight;
    // The row after which the `⋮` line goes.
    let vdots_after = if vcut && halfheight > 0 { rows.get(halfheight - 1).copied() } else { None };

    if n <= a.len() {
        for (idx, &i) in rows.iter().enumerate() {
            out.push_str(pre);
            print_row(out, cell, n, &a, i, &cols);
            if idx + 1 != rows.len() || Some(i) == vdots_after {
                out.push('\n');
            }
            if Some(i) == vdots_after {
                out.push_str(pre);
                print_vdots(out, &a, VMOD, 1);
                out.push('\n');
            }
        }
    } else {
        let c = (screenwidth - hdots_len + 1).div_euclid(2) + 1;
        let rev: Vec<usize> = cols.iter().rev().copied().collect();
        let mut ralign = alignment(cell, n, &rows, &rev, c, c);
        ralign.reverse();
        let c = screenwidth - width(&ralign) - (ralign.len() as isize - 1) * sepsize - hdots_len;
        let lalign = alignment(cell, n, &rows, &cols, c, c);
        let lcols: Vec<usize> = cols[..lalign.len()].to_vec();
        let rcols: Vec<usize> = cols.iter().map(|&j| n - ralign.len() + j).take(ralign.len()).collect();
        let r = (ralign.len() as isize - n as isize + 1).rem_euclid(VMOD as isize) as usize;
        for (idx, &i) in rows.iter().enumerate() {
            out.push_str(pre);
            print_row(out, cell, n, &lalign, i, &lcols);
            if i % HMOD == 0 {
                out.push_str(HDOTS);
            } else {
                pad(out, hdots_len as usize);
            }
            print_row(out, cell, n, &ralign, i, &rcols);
            if idx + 1 != rows.len() || Some(i) == vdots_after {
                out.push('\n');
            }
            if Some(i) == vdots_after {
                out.push_str(pre);
                print_vdots(out, &lalign, VMOD, 1);
                out.push_str(DDOTS);
                print_vdots(out, &ralign, VMOD, r);
                out.push('\n');
            }
        }
    }
}
