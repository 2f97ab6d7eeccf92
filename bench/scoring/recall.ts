import { CLONE_TYPES, type CloneType, type PlantedClone } from '../injection/ground-truth.js';
import type { CloneReport, LineRange } from './clone-report.js';
import { wilsonInterval, type Proportion } from './wilson-interval.js';

/** Share of a planted region that a reported fragment needs to cover for the fragment to count. */
export const MIN_REGION_COVERAGE = 0.5;

/** Lines of `region` that `fragment` covers, as a share of the region's lines (0 in another file). */
export function regionCoverage(fragment: LineRange, region: LineRange): number {
  if (fragment.file !== region.file) return 0;
  const overlap = Math.min(fragment.endLine, region.endLine) - Math.max(fragment.startLine, region.startLine) + 1;
  return Math.max(0, overlap) / (region.endLine - region.startLine + 1);
}

interface IndexedFragment {
  readonly group: number;
  readonly position: number;
  readonly fragment: LineRange;
}

/** Reported fragments by file, so each planted clone looks only at fragments of its two files. */
export class FragmentIndex {
  private readonly byFile = new Map<string, IndexedFragment[]>();

  constructor(report: CloneReport) {
    report.groups.forEach((group, groupIndex) => {
      group.fragments.forEach((fragment, position) => {
        const list = this.byFile.get(fragment.file) ?? [];
        list.push({ group: groupIndex, position, fragment });
        this.byFile.set(fragment.file, list);
      });
    });
  }

  /** Fragments covering at least {@link MIN_REGION_COVERAGE} of the region. */
  covering(region: LineRange): IndexedFragment[] {
    return (this.byFile.get(region.file) ?? []).filter((entry) => regionCoverage(entry.fragment, region) >= MIN_REGION_COVERAGE);
  }
}

/**
 * A planted copy is found when one reported pair has one fragment covering at least half of the
 * copy's lines and the other covering at least half of the original's lines. For a clone class,
 * any two different fragments of the class form a pair.
 */
export function isFound(index: FragmentIndex, plant: PlantedClone): boolean {
  const onCopy = index.covering(plant.copy);
  if (onCopy.length === 0) return false;
  const onOriginal = index.covering(plant.original);
  return onCopy.some((copy) => onOriginal.some((original) => original.group === copy.group && original.position !== copy.position));
}

export interface RecallResult {
  readonly byType: Record<`t${CloneType}`, Proportion>;
  /** Ids of planted copies the tool missed, per type. */
  readonly missed: Record<`t${CloneType}`, string[]>;
}

/** Recall per clone type: planted copies found / planted. */
export function scoreRecall(report: CloneReport, plants: readonly PlantedClone[]): RecallResult {
  const index = new FragmentIndex(report);
  const byType = {} as Record<`t${CloneType}`, Proportion>;
  const missed = {} as Record<`t${CloneType}`, string[]>;
  for (const type of CLONE_TYPES) {
    const ofType = plants.filter((plant) => plant.type === type);
    const notFound = ofType.filter((plant) => !isFound(index, plant)).map((plant) => plant.id);
    byType[`t${type}`] = wilsonInterval(ofType.length - notFound.length, ofType.length);
    missed[`t${type}`] = notFound;
  }
  return { byType, missed };
}
