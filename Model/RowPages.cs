namespace Personalization.Model;

/// <summary>
/// Vectors as rows in pages of equal row counts: a shard's storage, whose pages are never copied to grow the catalog
/// (no large arrays reallocated, no garbage the size of the catalog). One contiguous array is a single page.
/// </summary>
public readonly struct RowPages
{
    private readonly IReadOnlyList<float[]> _pages;
    private readonly int _rowsPerPage;

    /// <param name="pages">Row-major vectors; page p holds rows p * rowsPerPage onwards.</param>
    /// <param name="rowsPerPage">Rows of every page but the last; a multiple of <see cref="CatalogScan.Block"/> when there is more than one page.</param>
    public RowPages(IReadOnlyList<float[]> pages, int rowsPerPage, int dimension)
    {
        if (pages.Count > 1 && rowsPerPage % CatalogScan.Block != 0)
        {
            throw new ArgumentException($"Rows per page must be a multiple of {CatalogScan.Block}: a scan block never spans two pages.", nameof(rowsPerPage));
        }

        (_pages, _rowsPerPage, Dimension) = (pages, rowsPerPage, dimension);
    }

    public int Dimension { get; }

    public static RowPages Contiguous(float[] rows, int dimension) => new([rows], int.MaxValue, dimension);

    /// <summary>The rows from <paramref name="row"/> to the end of its page.</summary>
    public ReadOnlySpan<float> From(int row) => _pages[row / _rowsPerPage].AsSpan(row % _rowsPerPage * Dimension);

    public ReadOnlySpan<float> Row(int row) => From(row)[..Dimension];
}
