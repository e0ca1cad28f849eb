export { runPasses, type GraphPass, type PassResult } from "./pass.js";
export {
  quantizeMatMul,
  quantizeMatMulPass,
  quantizeWeightPerColumn,
  type QuantizeMatMulOptions,
  type QuantizedWeight,
} from "./quantize-matmul.js";
