# specieslm for Snakemake cluster executors (Kubernetes, Slurm with containers, cloud): every workflow
# job runs `specieslm ...` inside this image.
#   docker build -t specieslm:0.1.0 .
#   snakemake --kubernetes --container-image specieslm:0.1.0 ...
# CPU build of ONNX Runtime. For NVIDIA GPUs build with --build-arg ORT_INSTALL=cuda12 on a base with
# CUDA 12 and cuDNN 9 (e.g. BASE=nvidia/cuda:12.6.3-cudnn-runtime-ubuntu24.04 plus Node 20), and run
# jobs with --device cuda; for WebGPU add libvulkan1 and the host's Vulkan ICD (--device webgpu).
ARG BASE=node:20-bookworm-slim
FROM ${BASE} AS build
WORKDIR /opt/specieslm
COPY package.json package-lock.json .npmrc ./
ARG ORT_INSTALL=skip
# Dependencies first (cached layer); the CUDA provider download happens here when ORT_INSTALL=cuda12.
RUN npm ci --ignore-scripts \
 && ONNXRUNTIME_NODE_INSTALL=${ORT_INSTALL} node node_modules/onnxruntime-node/script/install.js
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM ${BASE}
# Snakemake's Kubernetes executor runs `snakemake` itself inside each job's pod, so the image carries
# it (Debian bookworm's 7.21, the version the workflow is tested with); Slurm jobs only need specieslm.
RUN apt-get update && apt-get install -y --no-install-recommends snakemake && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/specieslm
COPY --from=build /opt/specieslm/package.json ./
COPY --from=build /opt/specieslm/node_modules ./node_modules
COPY --from=build /opt/specieslm/dist ./dist
COPY workflow ./workflow
COPY config ./config
RUN ln -s /opt/specieslm/dist/cli/main.js /usr/local/bin/specieslm && chmod +x dist/cli/main.js \
 && specieslm --version
WORKDIR /work
ENTRYPOINT []
CMD ["specieslm", "--help"]
