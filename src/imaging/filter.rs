//! Small filters over one-channel `f32` maps (row-major, `w × h`): box mean, the guided filter,
//! bilinear reads. Used by the matte; meant for the quality checks too.

/// Mean over a (2r+1)² window, clipped at the borders: a running sum along rows, then along
/// columns, so the cost does not depend on `r`.
pub(crate) fn box_mean(values: &[f32], w: usize, h: usize, r: usize) -> Vec<f32> {
    let mut rows = vec![0.0f32; w * h];
    for y in 0..h {
        let line = &values[y * w..(y + 1) * w];
        let mut sum: f64 = line[..(r + 1).min(w)].iter().map(|&v| f64::from(v)).sum();
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            rows[y * w + x] = (sum / (x1 - x0) as f64) as f32;
            if x + r + 1 < w {
                sum += f64::from(line[x + r + 1]);
            }
            if x >= r {
                sum -= f64::from(line[x - r]);
            }
        }
    }
    let mut out = vec![0.0f32; w * h];
    let mut sums: Vec<f64> = (0..w).map(|x| (0..(r + 1).min(h)).map(|y| f64::from(rows[y * w + x])).sum()).collect();
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        let n = (y1 - y0) as f64;
        for x in 0..w {
            out[y * w + x] = (sums[x] / n) as f32;
        }
        if y + r + 1 < h {
            let add = &rows[(y + r + 1) * w..(y + r + 2) * w];
            sums.iter_mut().zip(add).for_each(|(s, &v)| *s += f64::from(v));
        }
        if y >= r {
            let sub = &rows[(y - r) * w..(y - r + 1) * w];
            sums.iter_mut().zip(sub).for_each(|(s, &v)| *s -= f64::from(v));
        }
    }
    out
}

/// The guided filter with a grey guide: `q = mean(a)·I + mean(b)`, `a = cov(I,p)/(var(I)+ε)`.
pub(crate) fn guided_filter(guide: &[f32], input: &[f32], w: usize, h: usize, r: usize, eps: f32) -> Vec<f32> {
    // The four means are independent: two at a time on rayon's pool.
    let ((mean_i, mean_p), (corr_ip, corr_ii)) = rayon::join(
        || (box_mean(guide, w, h, r), box_mean(input, w, h, r)),
        || {
            let ip: Vec<f32> = guide.iter().zip(input).map(|(i, p)| i * p).collect();
            let ii: Vec<f32> = guide.iter().map(|i| i * i).collect();
            (box_mean(&ip, w, h, r), box_mean(&ii, w, h, r))
        },
    );
    let mut a = vec![0.0f32; w * h];
    let mut b = vec![0.0f32; w * h];
    for k in 0..w * h {
        let var = corr_ii[k] - mean_i[k] * mean_i[k];
        let cov = corr_ip[k] - mean_i[k] * mean_p[k];
        a[k] = cov / (var + eps);
        b[k] = mean_p[k] - a[k] * mean_i[k];
    }
    let (mean_a, mean_b) = rayon::join(|| box_mean(&a, w, h, r), || box_mean(&b, w, h, r));
    (0..w * h).map(|k| mean_a[k] * guide[k] + mean_b[k]).collect()
}

/// Bilinear read of a one-channel map at (x, y) in pixel-centre coordinates, clamped.
pub(crate) fn bilinear(values: &[f32], w: usize, h: usize, x: f32, y: f32) -> f32 {
    let x = x.clamp(0.0, (w - 1) as f32);
    let y = y.clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as usize, y.floor() as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let top = values[y0 * w + x0] * (1.0 - fx) + values[y0 * w + x1] * fx;
    let bottom = values[y1 * w + x0] * (1.0 - fx) + values[y1 * w + x1] * fx;
    top * (1.0 - fy) + bottom * fy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_mean_matches_a_direct_sum_at_the_borders() {
        let (w, h, r) = (9, 7, 2);
        let v: Vec<f32> = (0..w * h).map(|k| ((k * 37) % 11) as f32).collect();
        let fast = box_mean(&v, w, h, r);
        let v = &v;
        for y in 0..h {
            for x in 0..w {
                let (x0, x1, y0, y1) =
                    (x.saturating_sub(r), (x + r + 1).min(w), y.saturating_sub(r), (y + r + 1).min(h));
                let direct: f32 = (y0..y1).flat_map(|yy| (x0..x1).map(move |xx| v[yy * w + xx])).sum::<f32>()
                    / ((x1 - x0) * (y1 - y0)) as f32;
                assert!((fast[y * w + x] - direct).abs() < 1e-4, "({x},{y}): {} vs {direct}", fast[y * w + x]);
            }
        }
    }

    #[test]
    fn box_mean_of_a_constant_is_the_constant() {
        let v = vec![0.25f32; 7 * 5];
        assert!(box_mean(&v, 7, 5, 2).iter().all(|m| (m - 0.25).abs() < 1e-6));
    }

    #[test]
    fn guided_filter_keeps_an_edge_that_the_guide_has() {
        // A step in both guide and input stays a step; a flat guide smooths.
        let (w, h) = (20, 4);
        let step: Vec<f32> = (0..w * h).map(|k| if k % w < 10 { 0.0 } else { 1.0 }).collect();
        let out = guided_filter(&step, &step, w, h, 3, 1e-4);
        assert!(out[2] < 0.05 && out[17] > 0.95, "{:?}", &out[..w]);
    }
}
