//! Faster forms of the ops tract runs slowly, put in their place in a model before and after
//! tract optimises it.
//!
//! MODNet resamples its feature maps nine times (bilinear, half-pixel centres, by 2, 1/2 and
//! 1/4). tract's general Resize copies each tensor and walks a per-axis plan one value at a time:
//! 54 ms of MODNet's 250 ms at 256×320. At these factors every output is a fixed mix of two
//! inputs per axis, so [`HalfPixelBilinear`] computes it directly.
//! tract's optimiser then pads the input of each convolution it runs through im2col with a
//! generic Pad (fifteen in MODNet, ~15 ms); [`ZeroPad2d`] copies rows into zeroed planes. Both
//! run as one tract op, [`PlaneOp`], one plane per thread.

use rayon::prelude::*;
use tract_onnx::tract_core::internal::*;
use tract_onnx::tract_core::ops::array::{Pad, PadMode};
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
        let half_pixel =
            matches!(resize.coord_transformer, CoordTransformer::HalfPixel | CoordTransformer::PytorchHalfPixel);
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

/// Zero padding of the two last axes of an f32 NCHW tensor.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ZeroPad2d {
    /// Rows before and after.
    rows: (usize, usize),
    /// Columns before and after.
    cols: (usize, usize),
}

impl ZeroPad2d {
    /// The op that does what `pad` does to `input`, if it is one of ours.
    fn for_pad(pad: &Pad, input: &TypedFact) -> Option<ZeroPad2d> {
        let PadMode::Constant(value) = &pad.mode else { return None };
        let zero = value.cast_to_scalar::<f32>().ok()? == 0.0;
        let nchw = pad.pads.len() == 4 && pad.pads[0] == (0, 0) && pad.pads[1] == (0, 0);
        (zero && nchw && input.datum_type == f32::datum_type() && input.shape.as_concrete().is_some())
            .then_some(ZeroPad2d { rows: pad.pads[2], cols: pad.pads[3] })
    }

    fn output_hw(&self, h: usize, w: usize) -> (usize, usize) {
        (h + self.rows.0 + self.rows.1, w + self.cols.0 + self.cols.1)
    }

    /// One plane `src` (h × w) into the zeroed `dst`.
    fn plane(&self, src: &[f32], w: usize, dst: &mut [f32]) {
        let wo = w + self.cols.0 + self.cols.1;
        for (y, row) in src.chunks_exact(w).enumerate() {
            let start = (y + self.rows.0) * wo + self.cols.0;
            dst[start..start + w].copy_from_slice(row);
        }
    }
}

/// Our ops: each maps every plane of an f32 NCHW tensor on its own (one plane per thread).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum PlaneOp {
    Bilinear(HalfPixelBilinear),
    ZeroPad(ZeroPad2d),
}

impl PlaneOp {
    fn output_hw(&self, h: usize, w: usize) -> (usize, usize) {
        match self {
            PlaneOp::Bilinear(op) => op.output_hw(h, w),
            PlaneOp::ZeroPad(op) => op.output_hw(h, w),
        }
    }
}

impl Op for PlaneOp {
    fn name(&self) -> StaticName {
        match self {
            PlaneOp::Bilinear(_) => "HalfPixelBilinear".into(),
            PlaneOp::ZeroPad(_) => "ZeroPad2d".into(),
        }
    }

    fn info(&self) -> TractResult<Vec<String>> {
        Ok(vec![format!("{self:?}")])
    }

    op_as_typed_op!();
}

impl EvalOp for PlaneOp {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        let shape = input.shape();
        ensure!(shape.len() == 4, "{} needs an NCHW tensor", self.name());
        let (h, w) = (shape[2], shape[3]);
        let (ho, wo) = self.output_hw(h, w);
        let src = input.try_as_plain_ram()?.as_slice::<f32>()?;
        let mut out = vec![0.0f32; shape[0] * shape[1] * ho * wo];
        out.par_chunks_exact_mut(ho * wo).zip(src.par_chunks_exact(h * w)).for_each(|(dst, plane)| match self {
            PlaneOp::Bilinear(op) => op.plane(plane, h, w, dst),
            PlaneOp::ZeroPad(op) => op.plane(plane, w, dst),
        });
        let out = Tensor::from_shape(&[shape[0], shape[1], ho, wo], &out)?;
        Ok(tvec!(out.into_tvalue()))
    }
}

impl TypedOp for PlaneOp {
    as_op!();

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let s = &inputs[0].shape;
        ensure!(s.len() == 4, "{} needs an NCHW tensor", self.name());
        let (ho, wo) = self.output_hw(s[2].to_usize()?, s[3].to_usize()?);
        Ok(tvec!(f32::fact([s[0].to_usize()?, s[1].to_usize()?, ho, wo])))
    }
}

/// Puts our ops in the place of every Resize and Pad of `model` they can do. Run before tract
/// optimises a model (the resizes) and after (the pads its convolutions get).
pub(crate) fn replace_slow_ops(model: &mut TypedModel) -> TractResult<()> {
    let ours = |node: &TypedNode| -> Option<PlaneOp> {
        let input = model.outlet_fact(*node.inputs.first()?).ok()?;
        if let Some(resize) = node.op_as::<Resize>() {
            return HalfPixelBilinear::for_resize(resize, input, &node.outputs[0].fact).map(PlaneOp::Bilinear);
        }
        ZeroPad2d::for_pad(node.op_as::<Pad>()?, input).map(PlaneOp::ZeroPad)
    };
    let candidates: Vec<(usize, PlaneOp)> =
        model.nodes().iter().filter_map(|node| ours(node).map(|op| (node.id, op))).collect();
    for (id, op) in candidates {
        let node = model.node(id);
        let mut patch = TypedModelPatch::new("faster op");
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
        for (scale, op) in
            [(2.0f32, HalfPixelBilinear::Up2), (0.5, HalfPixelBilinear::Down(2)), (0.25, HalfPixelBilinear::Down(4))]
        {
            let resize = Resize {
                coord_transformer: CoordTransformer::PytorchHalfPixel,
                interpolator: Interpolator::Linear,
                nearest: tract_onnx::tract_core::ops::nn::Nearest::Floor,
                optional_scales_input: Some(1),
                optional_sizes_input: None,
            };
            let scales = Tensor::from_shape(&[4], &[1.0f32, 1.0, scale, scale]).unwrap();
            let theirs =
                resize.eval_out_of_plan(tvec!(input.clone().into_tvalue(), scales.into_tvalue())).unwrap().unwrap();
            let ours = PlaneOp::Bilinear(op).eval_out_of_plan(tvec!(input.clone().into_tvalue())).unwrap().unwrap();
            assert_eq!(theirs[0].shape(), ours[0].shape(), "{op:?}");
            let (theirs, ours) = (theirs[0].try_as_plain_ram().unwrap(), ours[0].try_as_plain_ram().unwrap());
            let (a, b) = (theirs.as_slice::<f32>().unwrap(), ours.as_slice::<f32>().unwrap());
            let worst = a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0f32, f32::max);
            assert!(worst < 1e-5, "{op:?}: largest difference {worst}");
        }
    }

    /// Our zero padding against tract's Pad, equal to the bit.
    #[test]
    fn pads_as_tracts_pad_does() {
        let values: Vec<f32> = (0..2 * 3 * 5 * 4).map(|i| i as f32 + 1.0).collect();
        let input = Tensor::from_shape(&[2, 3, 5, 4], &values).unwrap();
        let pad = Pad { pads: vec![(0, 0), (0, 0), (1, 2), (2, 0)], mode: PadMode::Constant(rctensor0(0f32)) };
        let fact = f32::fact([2, 3, 5, 4]);
        let ours = ZeroPad2d::for_pad(&pad, &fact).expect("a zero pad of the two last axes");
        let theirs = pad.eval_out_of_plan(tvec!(input.clone().into_tvalue())).unwrap().unwrap();
        let ours = PlaneOp::ZeroPad(ours).eval_out_of_plan(tvec!(input.into_tvalue())).unwrap().unwrap();
        assert_eq!(theirs[0].shape(), &[2, 3, 8, 6]);
        assert_eq!(theirs[0].shape(), ours[0].shape());
        let (theirs, ours) = (theirs[0].try_as_plain_ram().unwrap(), ours[0].try_as_plain_ram().unwrap());
        assert_eq!(theirs.as_slice::<f32>().unwrap(), ours.as_slice::<f32>().unwrap());
    }
}
