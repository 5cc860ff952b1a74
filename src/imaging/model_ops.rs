//! Faster forms of the ops tract runs slowly, put in a model's place before it is optimised.
//!
//! MODNet resamples its feature maps nine times (bilinear, half-pixel centres, by 2, 1/2 and
//! 1/4). tract's general Resize copies each tensor and walks a per-axis plan one value at a time:
//! 54 ms of MODNet's 250 ms at 256×320. At these factors every output is a fixed mix of two
//! inputs per axis, so [`HalfPixelBilinear`] computes it directly, one plane per thread.

use rayon::prelude::*;
use tract_onnx::tract_core::internal::*;
use tract_onnx::tract_core::ops::nn::{CoordTransformer, Interpolator, Resize};
use tract_onnx::tract_core::{as_op, op_as_typed_op, op_out_of_plan};

/// Bilinear resampling of the two last axes of an f32 NCHW tensor with half-pixel centres
/// (ONNX `linear` with `half_pixel` or `pytorch_half_pixel`), by one of the factors where each
/// output mixes two inputs per axis with fixed weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum HalfPixelBilinear {
    /// Twice the size: the input point of an output is a quarter pixel from one input and three
    /// quarters from its neighbour (edges clamped).
    Up2,
    /// 1/k of the size, k even: the input point falls halfway between the two middle inputs of
    /// each block of k.
    Down(usize),
}

impl HalfPixelBilinear {
    /// The op that does what `resize` does from `input` to `output`, if it is one of ours.
    fn for_resize(resize: &Resize, input: &TypedFact, output: &TypedFact) -> Option<HalfPixelBilinear> {
        let half_pixel = matches!(
            resize.coord_transformer,
            CoordTransformer::HalfPixel | CoordTransformer::PytorchHalfPixel
        );
        if resize.interpolator != Interpolator::Linear || !half_pixel || input.datum_type != f32::datum_type() {
            return None;
        }
        let (i, o) = (input.shape.as_concrete()?, output.shape.as_concrete()?);
        if i.len() != 4 || o.len() != 4 || i[..2] != o[..2] || i.iter().chain(o).any(|&d| d == 0) {
            return None;
        }
        let (hi, wi, ho, wo) = (i[2], i[3], o[2], o[3]);
        if ho == 2 * hi && wo == 2 * wi {
            return Some(HalfPixelBilinear::Up2);
        }
        let k = hi / ho;
        let even_block = k >= 2 && k.is_multiple_of(2);
        (even_block && hi == k * ho && wi == k * wo).then_some(HalfPixelBilinear::Down(k))
    }

    fn output_hw(&self, h: usize, w: usize) -> (usize, usize) {
        match *self {
            HalfPixelBilinear::Up2 => (2 * h, 2 * w),
            HalfPixelBilinear::Down(k) => (h / k, w / k),
        }
    }

    /// One plane `src` (h × w) into `dst`.
    fn plane(&self, src: &[f32], h: usize, w: usize, dst: &mut [f32]) {
        match *self {
            HalfPixelBilinear::Up2 => {
                // Rows first: each input row twice as wide.
                let wo = 2 * w;
                let mut wide = vec![0.0f32; h * wo];
                for (row, out) in src.chunks_exact(w).zip(wide.chunks_exact_mut(wo)) {
                    for x in 0..w {
                        let (left, right) = (row[x.saturating_sub(1)], row[(x + 1).min(w - 1)]);
                        out[2 * x] = 0.75 * row[x] + 0.25 * left;
                        out[2 * x + 1] = 0.75 * row[x] + 0.25 * right;
                    }
                }
                for y in 0..h {
                    let (row, above, below) = (y * wo, y.saturating_sub(1) * wo, (y + 1).min(h - 1) * wo);
                    for x in 0..wo {
                        dst[2 * y * wo + x] = 0.75 * wide[row + x] + 0.25 * wide[above + x];
                        dst[(2 * y + 1) * wo + x] = 0.75 * wide[row + x] + 0.25 * wide[below + x];
                    }
                }
            }
            HalfPixelBilinear::Down(k) => {
                let (ho, wo) = (h / k, w / k);
                let first = k / 2 - 1;
                for y in 0..ho {
                    let top = &src[(k * y + first) * w..][..w];
                    let bottom = &src[(k * y + first + 1) * w..][..w];
                    for (x, out) in dst[y * wo..][..wo].iter_mut().enumerate() {
                        let a = k * x + first;
                        *out = 0.25 * (top[a] + top[a + 1] + bottom[a] + bottom[a + 1]);
                    }
                }
            }
        }
    }
}

impl Op for HalfPixelBilinear {
    fn name(&self) -> StaticName {
        "HalfPixelBilinear".into()
    }

    fn info(&self) -> TractResult<Vec<String>> {
        Ok(vec![format!("{self:?}")])
    }

    op_as_typed_op!();
}

impl EvalOp for HalfPixelBilinear {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        let shape = input.shape();
        ensure!(shape.len() == 4, "HalfPixelBilinear needs an NCHW tensor");
        let (h, w) = (shape[2], shape[3]);
        let (ho, wo) = self.output_hw(h, w);
        let src = input.try_as_plain_ram()?.as_slice::<f32>()?;
        let mut out = vec![0.0f32; shape[0] * shape[1] * ho * wo];
        out.par_chunks_exact_mut(ho * wo)
            .zip(src.par_chunks_exact(h * w))
            .for_each(|(dst, plane)| self.plane(plane, h, w, dst));
        let out = Tensor::from_shape(&[shape[0], shape[1], ho, wo], &out)?;
        Ok(tvec!(out.into_tvalue()))
    }
}

impl TypedOp for HalfPixelBilinear {
    as_op!();

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let s = &inputs[0].shape;
        ensure!(s.len() == 4, "HalfPixelBilinear needs an NCHW tensor");
        let (h, w) = (s[2].to_usize()?, s[3].to_usize()?);
        let (ho, wo) = self.output_hw(h, w);
        Ok(tvec!(f32::fact([s[0].to_usize()?, s[1].to_usize()?, ho, wo])))
    }
}

/// Puts [`HalfPixelBilinear`] in the place of every Resize of `model` it can do.
pub(crate) fn replace_slow_ops(model: &mut TypedModel) -> TractResult<()> {
    let candidates: Vec<(usize, HalfPixelBilinear)> = model
        .nodes()
        .iter()
        .filter_map(|node| {
            let resize = node.op_as::<Resize>()?;
            let input = model.outlet_fact(node.inputs[0]).ok()?;
            HalfPixelBilinear::for_resize(resize, input, &node.outputs[0].fact).map(|op| (node.id, op))
        })
        .collect();
    for (id, op) in candidates {
        let node = model.node(id);
        let mut patch = TypedModelPatch::new("half-pixel bilinear");
        let input = patch.tap_model(model, node.inputs[0])?;
        let output = patch.wire_node(&node.name, op, &[input])?;
        patch.shunt_outside(model, OutletId::new(id, 0), output[0])?;
        patch.apply(model)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our op against tract's own Resize on the same input, at every factor we take over.
    #[test]
    fn matches_tracts_resize() {
        let (h, w) = (12, 8);
        let values: Vec<f32> = (0..2 * 3 * h * w).map(|i| ((i * 37) % 101) as f32 / 7.0 - 5.0).collect();
        let input = Tensor::from_shape(&[2, 3, h, w], &values).unwrap();
        for (scale, op) in [(2.0f32, HalfPixelBilinear::Up2), (0.5, HalfPixelBilinear::Down(2)), (0.25, HalfPixelBilinear::Down(4))]
        {
            let resize = Resize {
                coord_transformer: CoordTransformer::PytorchHalfPixel,
                interpolator: Interpolator::Linear,
                nearest: tract_onnx::tract_core::ops::nn::Nearest::Floor,
                optional_scales_input: Some(1),
                optional_sizes_input: None,
            };
            let scales = Tensor::from_shape(&[4], &[1.0f32, 1.0, scale, scale]).unwrap();
            let theirs = resize.eval_out_of_plan(tvec!(input.clone().into_tvalue(), scales.into_tvalue())).unwrap().unwrap();
            let ours = op.eval_out_of_plan(tvec!(input.clone().into_tvalue())).unwrap().unwrap();
            assert_eq!(theirs[0].shape(), ours[0].shape(), "{op:?}");
            let (theirs, ours) = (theirs[0].try_as_plain_ram().unwrap(), ours[0].try_as_plain_ram().unwrap());
            let (a, b) = (theirs.as_slice::<f32>().unwrap(), ours.as_slice::<f32>().unwrap());
            let worst = a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
            assert!(worst < 1e-5, "{op:?}: largest difference {worst}");
        }
    }
}
