"""Search over the graph's text: chunking, embeddings, FAISS + BM25, fusion, ask, eval."""
