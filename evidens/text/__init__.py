"""Pure text analysis (no Django): Danish words, stems, keywords, phrases, distinctive terms and sentiment."""
